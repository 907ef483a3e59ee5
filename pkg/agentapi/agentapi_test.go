package agentapi

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"

	"codexpro.dev/pkg/agentapi/agentpb"
)

func TestPreviewQuotesAnythingAShellWouldReinterpret(t *testing.T) {
	got := Preview([]string{"opencode", "run", "--model", "a/b:c@1", "x y", "it's", "$(rm -rf /)", ""})
	want := `opencode run --model a/b:c@1 'x y' 'it'\''s' '$(rm -rf /)' ''`
	if got != want {
		t.Fatalf("Preview = %s\nwant      %s", got, want)
	}
}

type shBuilder struct{ script string }

func (shBuilder) Describe() *agentpb.DescribeResponse { return &agentpb.DescribeResponse{Name: "sh"} }
func (b shBuilder) Build(*agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	argv := []string{"/bin/sh", "-c", b.script}
	return &agentpb.CommandResponse{Argv: argv, Display: Preview(argv)}, nil
}

// dispense runs the adapter over a real in-process gRPC connection.
func dispense(t *testing.T, b Builder) Agent {
	t.Helper()
	client, _ := plugin.TestPluginGRPCConn(t, false, PluginSet(BuilderAgent{B: b}))
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(PluginName)
	if err != nil {
		t.Fatal(err)
	}
	return raw.(Agent)
}

func TestRunStreamsOutputAndExit(t *testing.T) {
	a := dispense(t, shBuilder{`echo out; echo err >&2; exit 3`})
	d, err := a.Describe(context.Background())
	if err != nil || d.Name != "sh" {
		t.Fatalf("Describe = %v, %v", d, err)
	}
	var mu sync.Mutex
	var live strings.Builder
	exit, err := a.Run(context.Background(), &agentpb.RunRequest{Root: t.TempDir(), TimeoutMs: 10000}, func(o *agentpb.Output) {
		mu.Lock()
		defer mu.Unlock()
		live.WriteString(o.Stream + ":" + string(o.Data))
	})
	if err != nil {
		t.Fatal(err)
	}
	if exit.ExitCode != 3 || exit.Stdout != "out\n" || exit.Stderr != "err\n" {
		t.Fatalf("exit = %+v", exit)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(live.String(), "stdout:out\n") || !strings.Contains(live.String(), "stderr:err\n") {
		t.Fatalf("live output = %q", live.String())
	}
}

func TestRunTimeoutAndMissingCommand(t *testing.T) {
	a := dispense(t, shBuilder{`sleep 30`})
	exit, err := a.Run(context.Background(), &agentpb.RunRequest{Root: t.TempDir(), TimeoutMs: 200}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !exit.TimedOut || exit.ExitCode == 0 || !strings.Contains(exit.Stderr, "timed out after 200 ms") {
		t.Fatalf("exit = %+v", exit)
	}
	missing := BuilderAgent{B: missingBuilder{}}
	exit, err = missing.Run(context.Background(), &agentpb.RunRequest{Root: t.TempDir()}, nil)
	if err != nil || exit.ExitCode != 127 || exit.Error == "" {
		t.Fatalf("missing command exit = %+v, %v", exit, err)
	}
}

type missingBuilder struct{}

func (missingBuilder) Describe() *agentpb.DescribeResponse {
	return &agentpb.DescribeResponse{Name: "x"}
}
func (missingBuilder) Build(*agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	return &agentpb.CommandResponse{Argv: []string{"definitely-not-a-command-xyz"}}, nil
}

func TestCancelStopsTheRun(t *testing.T) {
	a := dispense(t, shBuilder{`sleep 30`})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := a.Run(ctx, &agentpb.RunRequest{Root: t.TempDir(), TimeoutMs: 60000}, nil)
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("cancelled run reported success")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancel did not stop the run")
	}
}

func TestProgramDirsFollowPATHAndSymlinks(t *testing.T) {
	bin, real := t.TempDir(), t.TempDir()
	target := filepath.Join(real, "agent.js")
	os.WriteFile(target, []byte("#!/bin/sh\n"), 0o755)
	os.Symlink(target, filepath.Join(bin, "agent"))
	env := []string{"PATH=/nonexistent:" + bin}
	got := programDirs("agent", env)
	if len(got) != 2 || got[0] != bin || got[1] != real {
		t.Fatalf("programDirs = %q, want [%s %s]", got, bin, real)
	}
	if got := programDirs(target, env); len(got) != 1 || got[0] != real {
		t.Errorf("absolute program dirs = %q", got)
	}
	if got := programDirs("missing-agent", env); got != nil {
		t.Errorf("missing program dirs = %q", got)
	}
}
