package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"codexpro.dev/pkg/config"
)

// testApp is one invocation with a fake environment: HOME and CODEXPRO_HOME
// in temp dirs, stdout/stderr captured, a fake server recording settings.
type testApp struct {
	*app
	out, errOut *bytes.Buffer
	vars        map[string]string
	served      *config.Settings
}

func newTestApp(t *testing.T, vars map[string]string) *testApp {
	t.Helper()
	ta := &testApp{out: &bytes.Buffer{}, errOut: &bytes.Buffer{}, vars: map[string]string{
		"HOME": t.TempDir(), "CODEXPRO_HOME": t.TempDir(), "PATH": t.TempDir(),
	}}
	for k, v := range vars {
		ta.vars[k] = v
	}
	ta.app = &app{stdin: strings.NewReader(""), stdout: ta.out, stderr: ta.errOut,
		env: func(k string) (string, bool) { v, ok := ta.vars[k]; return v, ok },
		serve: func(_ context.Context, s config.Settings, _ zerolog.Logger) error {
			ta.served = &s
			return nil
		}}
	return ta
}

func (ta *testApp) exec(args ...string) int {
	ta.out.Reset()
	ta.errOut.Reset()
	return ta.run(context.Background(), args)
}

func (ta *testApp) store() config.ProfileStore {
	return config.NewProfileStore(ta.vars["CODEXPRO_HOME"])
}

func realDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSettingsSetBadValueNamesTheSetting(t *testing.T) {
	root := realDir(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--bash", "yolo"}, `--bash="yolo": want one of off, safe, full`},
		{[]string{"--port", "http"}, `--port="http": want an integer from 0 to 65535`},
		{[]string{"--tool-mode", "max"}, `--tool-mode="max"`},
		{[]string{"--allow-root", "/does/not/exist"}, `--allow-root "/does/not/exist": directory does not exist`},
		{[]string{"--hostname", "not a host"}, `--hostname="not a host"`},
		{[]string{"--bash-session", "bad id!"}, `--bash-session="bad id!"`},
		{[]string{"--new-token", "--token-file", "/etc/hostname"}, "--token-file"},
		{nil, "give at least one setting"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			ta := newTestApp(t, nil)
			code := ta.exec(append([]string{"settings", "set", "--root", root}, tc.args...)...)
			if code != exitSettings || !strings.Contains(ta.errOut.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, ta.errOut.String(), exitSettings, tc.want)
			}
			if _, err := os.Stat(ta.store().Path(root)); !os.IsNotExist(err) {
				t.Fatal("a refused set wrote the profile")
			}
		})
	}
}

func TestSettingsSetShowServe(t *testing.T) {
	root, extra := realDir(t), realDir(t)
	ta := newTestApp(t, map[string]string{"CODEXPRO_MODE": "pro", "CODEXPRO_HTTP_TOKEN": "ambient-token-0123456789abcdef0123"})
	if code := ta.exec("settings", "set", "--root", root, "--bash", "FULL", "--tool-mode", "minimal", "--port", "9911", "--allow-root", extra, "--no-tool-cards"); code != 0 {
		t.Fatalf("set: exit %d: %s", code, ta.errOut.String())
	}
	p, ok, err := ta.store().Load(root)
	if err != nil || !ok {
		t.Fatalf("profile: %v %v", ok, err)
	}
	if p.Bash != "full" || p.ToolMode != "minimal" || p.Port != "9911" || p.Mode != "" || len(p.AllowedRoots) != 1 || *p.ToolCards {
		t.Fatalf("saved %+v; want the given values only (no ambient CODEXPRO_MODE)", p)
	}
	token, err := os.ReadFile(p.TokenFile)
	if err != nil || len(strings.TrimSpace(string(token))) < config.MinTokenBytes {
		t.Fatalf("token file %s: %v", p.TokenFile, err)
	}
	if info, _ := os.Stat(p.TokenFile); info.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode %04o", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(ta.store().Path(root))
	if bytes.Contains(raw, bytes.TrimSpace(token)) || bytes.Contains(raw, []byte("ambient-token")) {
		t.Fatal("the profile JSON holds a token")
	}

	if code := ta.exec("settings", "show", "--root", root); code != 0 || strings.Contains(ta.out.String(), strings.TrimSpace(string(token))) {
		t.Fatalf("show: exit %d, output %q (must not hold the token)", code, ta.out.String())
	}
	for _, want := range []string{"Bash             full", "Tool mode        minimal", "Token            saved in " + p.TokenFile} {
		if !strings.Contains(ta.out.String(), want) {
			t.Errorf("show output lacks %q:\n%s", want, ta.out.String())
		}
	}

	delete(ta.vars, "CODEXPRO_HTTP_TOKEN")
	if code := ta.exec("--root", root, "--tool-mode", "full"); code != 0 || ta.served == nil {
		t.Fatalf("serve: exit %d: %s", code, ta.errOut.String())
	}
	s := ta.served
	if s.BashMode != "full" || s.ToolMode != "full" || s.Port != 9911 || s.Mode != "pro" || s.TokenSource != "profile" || len(s.AllowedRoots) != 2 {
		t.Fatalf("served %s; want bash and port from the profile, tool mode from the flag, mode from the env", s)
	}
	if code := ta.exec("serve", "--root", root, "--no-profile"); code != 0 || ta.served.BashMode != "safe" {
		t.Fatalf("--no-profile: exit %d, bash %q", code, ta.served.BashMode)
	}
}

func TestMalformedProfile(t *testing.T) {
	root := realDir(t)
	ta := newTestApp(t, nil)
	store := ta.store()
	if err := os.MkdirAll(store.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := store.Path(root)
	if err := os.WriteFile(path, []byte(`{"root": 42`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"settings", "show", "--root", root}, {"--root", root}, {"settings", "set", "--root", root, "--bash", "off"}} {
		if code := ta.exec(args...); code != exitSettings || !strings.Contains(ta.errOut.String(), path) || !strings.Contains(ta.errOut.String(), "settings delete") {
			t.Fatalf("%v: exit %d, stderr %q; want the path and the way out", args, code, ta.errOut.String())
		}
	}
	if code := ta.exec("settings", "list"); code != 0 || !strings.Contains(ta.out.String(), path) {
		t.Fatalf("list: exit %d, %q", code, ta.out.String())
	}
	if code := ta.exec("settings", "delete", "--root", root); code != exitSettings || !strings.Contains(ta.errOut.String(), "--yes") {
		t.Fatalf("delete without --yes off a terminal: exit %d, %q", code, ta.errOut.String())
	}
	if code := ta.exec("settings", "delete", "--root", root, "--yes"); code != 0 || !strings.Contains(ta.out.String(), "Deleted "+path) {
		t.Fatalf("delete: exit %d, %q %q", code, ta.out.String(), ta.errOut.String())
	}
	if code := ta.exec("settings", "--root", root); code != 0 || !strings.Contains(ta.out.String(), "No saved settings") {
		t.Fatalf("after delete: exit %d, %q", code, ta.out.String())
	}
}

func TestSettingsUseCopiesChoicesNotToken(t *testing.T) {
	a, b := realDir(t), realDir(t)
	ta := newTestApp(t, nil)
	if code := ta.exec("settings", "set", "--root", a, "--bash", "off", "--mode", "handoff"); code != 0 {
		t.Fatal(ta.errOut.String())
	}
	if code := ta.exec("settings", "use", "--root", b); code != exitSettings || !strings.Contains(ta.errOut.String(), "--from-root") {
		t.Fatalf("use without --from-root off a terminal: %d %q", code, ta.errOut.String())
	}
	if code := ta.exec("settings", "use", "--root", b, "--from-root", a); code != 0 {
		t.Fatal(ta.errOut.String())
	}
	pa, _, _ := ta.store().Load(a)
	pb, _, _ := ta.store().Load(b)
	if pb.Root != b || pb.Bash != "off" || pb.Mode != "handoff" || pb.TokenFile == "" || pb.TokenFile == pa.TokenFile {
		t.Fatalf("copied %+v from %+v", pb, pa)
	}
}

func TestInteractivePromptsOnlyOnATerminal(t *testing.T) {
	root := realDir(t)
	ta := newTestApp(t, nil)
	ta.tty = true
	ta.stdin = strings.NewReader("handoff\noff\n\nfull\n")
	if code := ta.exec("settings", "set", "--root", root); code != 0 {
		t.Fatalf("interactive set: %d %s", code, ta.errOut.String())
	}
	p, _, _ := ta.store().Load(root)
	if p.Mode != "handoff" || p.Write != "off" || p.Bash != "safe" || p.ToolMode != "full" {
		t.Fatalf("saved %+v from the answers", p)
	}
	ta.in, ta.stdin = nil, strings.NewReader("yes\n")
	if code := ta.exec("settings", "delete", "--root", root); code != 0 || !strings.Contains(ta.out.String(), "Delete saved settings for "+root+"?") {
		t.Fatalf("interactive delete: %d %q", code, ta.out.String())
	}
	if _, ok, _ := ta.store().Load(root); ok {
		t.Fatal("profile still there after answering yes")
	}
}

// A profile written by CodexPro 0.30 (plaintext token, port as a
// string) works, and show never prints the token.
func TestReferenceProfile(t *testing.T) {
	root := realDir(t)
	ta := newTestApp(t, nil)
	store := ta.store()
	if err := os.MkdirAll(store.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	const tok = "0123456789abcdef0123456789abcdef0123456789abcdef"
	ref := `{"version":1,"root":"` + root + `","updatedAt":"2026-01-01T00:00:00.000Z","port":"9123","mode":"agent",` +
		`"tunnel":"cloudflare","token":"` + tok + `","bash":"off","toolMode":"full","toolCards":false}` + "\n"
	if err := os.WriteFile(store.Path(root), []byte(ref), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := ta.exec("settings", "show", "--root", root); code != 0 || strings.Contains(ta.out.String(), tok) ||
		!strings.Contains(ta.out.String(), "plaintext in the profile") {
		t.Fatalf("show: exit %d\n%s", code, ta.out.String())
	}
	if code := ta.exec("--root", root); code != 0 || ta.served.Token != tok || ta.served.Port != 9123 || ta.served.BashMode != "off" {
		t.Fatalf("serve with a reference profile: exit %d %s", code, ta.errOut.String())
	}
	if code := ta.exec("settings", "set", "--root", root, "--bash", "safe"); code != 0 {
		t.Fatal(ta.errOut.String())
	}
	raw, _ := os.ReadFile(store.Path(root))
	p, _, _ := store.Load(root)
	moved, _ := os.ReadFile(p.TokenFile)
	if strings.Contains(string(raw), tok) || strings.TrimSpace(string(moved)) != tok || p.Tunnel != "cloudflare" {
		t.Fatalf("after set: profile %s, token file %q", raw, moved)
	}
}
