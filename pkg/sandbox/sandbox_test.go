package sandbox_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/sandbox"
)

func TestMain(m *testing.M) {
	sandbox.MaybeExec()
	os.Exit(m.Run())
}

func requireLandlock(t *testing.T, minABI int) {
	t.Helper()
	if sandbox.Name() != sandbox.ModeLandlock {
		t.Skip("these checks drive Landlock; this OS uses " + sandbox.Name())
	}
	abi, ok, why := sandbox.Available()
	if !ok {
		t.Skip("landlock unavailable: " + why)
	}
	if abi < minABI {
		t.Skipf("landlock ABI %d < %d needed for this check", abi, minABI)
	}
}

type fixture struct {
	home, ws, tmp string
	goEnv         []string
	policy        sandbox.Policy
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := fixture{home: t.TempDir(), ws: t.TempDir(), tmp: t.TempDir()}
	tc, err := sandbox.Toolchains()
	if err != nil {
		t.Fatal(err)
	}
	f.goEnv = tc.Env
	f.policy = sandbox.Policy{Mode: sandbox.ModeLandlock, Workspace: f.ws, TempDir: f.tmp, Home: f.home, ReadDirs: tc.Read, WriteDirs: tc.Write}
	return f
}

// run executes a shell line confined (or not) with HOME pointing at the
// fixture's fake home.
func (f fixture) run(t *testing.T, confined bool, line string) procx.Result {
	t.Helper()
	s := procx.Spec{
		Argv:    []string{"sh", "-c", line},
		Dir:     f.ws,
		Env:     procx.Env(false, append([]string{"HOME=" + f.home, "TMPDIR=" + f.tmp, "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod"}, f.goEnv...)...),
		Timeout: 2 * time.Minute,
	}
	if confined {
		p := f.policy
		s.Sandbox = &p
	}
	res, err := procx.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func plant(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestConfinedChildCannotReadCredentials(t *testing.T) {
	requireLandlock(t, 1)
	f := newFixture(t)
	for _, rel := range []string{".ssh/id_ed25519", ".aws/credentials", ".gnupg/private.key", ".codexpro/token"} {
		t.Run(rel, func(t *testing.T) {
			plant(t, filepath.Join(f.home, rel), "PLANTED-SECRET")
			line := `cat "$HOME/` + rel + `"`
			if res := f.run(t, false, line); !strings.Contains(res.Stdout, "PLANTED-SECRET") {
				t.Fatalf("control run without sandbox could not read the plant: %+v", res)
			}
			res := f.run(t, true, line)
			if strings.Contains(res.Stdout, "PLANTED-SECRET") || res.ExitCode == 0 {
				t.Fatalf("confined child read %s: %+v", rel, res)
			}
			if !strings.Contains(res.Stderr, "Permission denied") {
				t.Fatalf("want a permission error, got %q", res.Stderr)
			}
		})
	}
}

func TestConfinedChildWritesOnlyWorkspace(t *testing.T) {
	requireLandlock(t, 1)
	f := newFixture(t)
	outside := t.TempDir()
	res := f.run(t, true, fmt.Sprintf(`echo x > inside.txt && echo y > "$TMPDIR/t.txt" && echo z > %q/out.txt`, outside))
	if res.ExitCode == 0 {
		t.Fatalf("write outside the workspace succeeded: %+v", res)
	}
	if _, err := os.Stat(filepath.Join(outside, "out.txt")); err == nil {
		t.Fatal("file appeared outside the workspace")
	}
	if _, err := os.Stat(filepath.Join(f.ws, "inside.txt")); err != nil {
		t.Fatalf("write inside the workspace failed: %v (%+v)", err, res)
	}
	if _, err := os.Stat(filepath.Join(f.tmp, "t.txt")); err != nil {
		t.Fatalf("write into the private temp dir failed: %v", err)
	}
}

func TestConfinedChildBuildsAndTestsGo(t *testing.T) {
	requireLandlock(t, 1)
	if testing.Short() {
		t.Skip("builds a Go module; skipped in -short")
	}
	f := newFixture(t)
	plant(t, filepath.Join(f.ws, "go.mod"), "module tiny\n\ngo 1.26.0\n")
	plant(t, filepath.Join(f.ws, "tiny.go"), "package tiny\n\nfunc Add(a, b int) int { return a + b }\n")
	plant(t, filepath.Join(f.ws, "tiny_test.go"), "package tiny\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Fatal(\"bad\")\n\t}\n}\n")
	res := f.run(t, true, "go build ./... && go test -count=1 ./...")
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "ok") {
		t.Fatalf("confined go build/test failed: %+v", res)
	}
}

func TestConfinedChildCannotReadParentEnviron(t *testing.T) {
	requireLandlock(t, 1)
	f := newFixture(t)
	// /proc/PID/environ is where a token passed to mcpd by environment
	// would leak from; PATH is always in it.
	line := fmt.Sprintf("cat /proc/%d/environ", os.Getpid())
	if res := f.run(t, false, line); !strings.Contains(res.Stdout, "PATH=") {
		t.Fatalf("control run could not read the parent environment: %+v", res)
	}
	if res := f.run(t, true, line); strings.Contains(res.Stdout, "PATH=") || res.ExitCode == 0 {
		t.Fatalf("confined child read the parent environment: %+v", res)
	}
}

func TestConfinedChildCannotSignalParent(t *testing.T) {
	requireLandlock(t, 6)
	f := newFixture(t)
	line := fmt.Sprintf("kill -0 %d", os.Getpid())
	if res := f.run(t, false, line); res.ExitCode != 0 {
		t.Fatalf("control kill -0 failed: %+v", res)
	}
	if res := f.run(t, true, line); res.ExitCode == 0 {
		t.Fatalf("confined child could signal its parent: %+v", res)
	}
}

func TestConfinedNetwork(t *testing.T) {
	requireLandlock(t, 4)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	line := fmt.Sprintf("exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d'", port)
	tests := []struct {
		name   string
		net    bool
		wantOK bool
	}{
		{"denied by default", false, false},
		{"allowed with --sandbox-net", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.policy.Net = tc.net
			res := f.run(t, true, line)
			if got := res.ExitCode == 0; got != tc.wantOK {
				t.Fatalf("connect ok = %v, want %v: %+v", got, tc.wantOK, res)
			}
		})
	}
}
