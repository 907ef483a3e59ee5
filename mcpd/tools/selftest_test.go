package tools

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/sandbox"
)

func runSelfTest(t *testing.T, e *toolkit.Env, args map[string]any) selfTestOut {
	t.Helper()
	s := mustOK(t, callTool(t, e, "codexpro_self_test", args))
	raw, _ := json.Marshal(s)
	var out selfTestOut
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func checkStatus(out selfTestOut) map[string]string {
	m := map[string]string{}
	for _, c := range out.Checks {
		m[c.Name] = c.Status + ": " + c.Detail
	}
	return m
}

func TestSelfTestAgentMode(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"README.md": "# x\n"})
	gitInit(t, root)
	out := runSelfTest(t, e, nil)
	got := checkStatus(out)
	for name, want := range map[string]string{"workspace": "pass", "tool mode": "pass", "write mode": "pass", "bash mode": "pass",
		"http auth": "pass", "registered tool set": "pass", "inventory": "pass", "git status": "pass", "write/edit probe": "pass",
		"selected-only pro context": "pass", "bash policy": "pass", "terms boundary": "pass",
		"sandboxed git": "pass", "sandboxed build": "pass"} {
		if !strings.HasPrefix(got[name], want) {
			t.Errorf("check %q = %q, want %s", name, got[name], want)
		}
	}
	data, err := os.ReadFile(filepath.Join(root, ".ai-bridge", selfTestFile))
	if err != nil || !strings.Contains(string(data), "marker: after") {
		t.Fatalf("probe file: %q, %v", data, err)
	}
	if strings.Join(out.FilesTouched, ",") != ".ai-bridge/"+selfTestFile {
		t.Errorf("files_touched = %v", out.FilesTouched)
	}
	tb := out.TermsBoundary
	if !tb.LocalWorkspaceBridge || tb.ProvidesModels || tb.ProxiesModelAccess || tb.BypassesQuotas || tb.RemoteAgentExecution {
		t.Errorf("terms boundary = %+v", tb)
	}
	if out.RegisteredToolCount != len(All().Visible(e.Cfg)) || len(out.Checks) != 14 {
		t.Errorf("registered %d tools, %d checks", out.RegisteredToolCount, len(out.Checks))
	}
}

func TestSelfTestWritesNothingWithWritesOff(t *testing.T) {
	e, root := newTestEnv(t, nil)
	e.Cfg.WriteMode, e.Cfg.BashMode = "off", "off"
	out := runSelfTest(t, e, nil)
	got := checkStatus(out)
	for _, name := range []string{"write mode", "write/edit probe", "selected-only pro context", "bash policy"} {
		if !strings.HasPrefix(got[name], "warn") {
			t.Errorf("check %q = %q, want warn", name, got[name])
		}
	}
	if out.Status == "pass" || len(out.FilesTouched) != 0 {
		t.Errorf("status %s, touched %v", out.Status, out.FilesTouched)
	}
	if entries := listing(t, root); len(entries) != 1 {
		t.Fatalf("self-test wrote with writes off: %v", entries)
	}
}

// In handoff mode the write tools are hidden, but the probe may still write
// inside the context dir, exactly as the write gate allows.
func TestSelfTestHandoffModeProbeStaysInContextDir(t *testing.T) {
	e, root := newTestEnv(t, nil)
	e.Cfg.WriteMode = "handoff"
	got := checkStatus(runSelfTest(t, e, map[string]any{"bash_probe": false}))
	if !strings.HasPrefix(got["write/edit probe"], "pass") {
		t.Fatalf("probe = %s", got["write/edit probe"])
	}
	if _, err := os.Stat(filepath.Join(root, ".ai-bridge", selfTestFile)); err != nil {
		t.Fatal(err)
	}
}

// TestSelfTestComparesRegisteredTools: inside a server the self-test
// compares what the server registered with the registration rules, so a
// server wired with the wrong tools fails the check.
func TestSelfTestComparesRegisteredTools(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{"README.md": "# x\n"})
	for _, tc := range []struct {
		name  string
		tools []toolkit.Tool
		want  string
	}{
		{"as the rules say", All().Visible(e.Cfg), "pass"},
		{"one tool missing", All().Visible(e.Cfg)[1:], "fail: missing: codexpro"},
	} {
		srv := server.NewMCPServer("t", "0")
		toolkit.Register(srv, e, tc.tools)
		if !slices.ContainsFunc(tc.tools, func(tl toolkit.Tool) bool { return tl.Name == "codexpro_self_test" }) {
			t.Fatalf("%s: the self-test itself must be registered", tc.name)
		}
		req := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"codexpro_self_test","arguments":{"bash_probe":false,"write_probe":false}}}`
		resp, ok := srv.HandleMessage(context.Background(), []byte(req)).(mcp.JSONRPCResponse)
		if !ok {
			t.Fatalf("%s: tools/call failed", tc.name)
		}
		res := resp.Result.(*mcp.CallToolResult)
		raw, _ := json.Marshal(res.StructuredContent)
		if len(res.RawStructuredContent) > 0 {
			raw = res.RawStructuredContent
		}
		var out selfTestOut
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s: %v in %s", tc.name, err, raw)
		}
		if got := checkStatus(out)["registered tool set"]; !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: registered tool set = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestSelfTestProbesTheSandboxedPath: the self-test runs git and a Go
// build through the bash tool's own spec and sandbox, for a user with a
// ~/.gitconfig and no build cache yet, and reports a git that fails there
// with git's own message instead of passing.
func TestSelfTestProbesTheSandboxedPath(t *testing.T) {
	if _, ok, why := sandbox.Available(); !ok {
		t.Skip("no OS sandbox here: " + why)
	}
	home := userHome(t)
	e, root := newTestEnv(t, map[string]string{"README.md": "# x\n"})
	gitInit(t, root)
	got := checkStatus(runSelfTest(t, e, map[string]any{"write_probe": false, "bash_probe": false}))
	for _, name := range []string{"sandboxed git", "sandboxed build"} {
		if !strings.HasPrefix(got[name], "pass") || !strings.Contains(got[name], sandbox.Name()) {
			t.Errorf("check %q = %q, want a pass under %s", name, got[name], sandbox.Name())
		}
	}
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user\n\tname = broken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got = checkStatus(runSelfTest(t, e, map[string]any{"write_probe": false, "bash_probe": false}))
	if !strings.HasPrefix(got["sandboxed git"], "fail") || !strings.Contains(got["sandboxed git"], "config") {
		t.Errorf("sandboxed git with a broken ~/.gitconfig = %q, want a failure naming the config", got["sandboxed git"])
	}
}
