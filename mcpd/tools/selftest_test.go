package tools

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runSelfTest(t *testing.T, e *Env, args map[string]any) selfTestOut {
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
		"selected-only pro context": "pass", "bash policy": "pass", "terms boundary": "pass"} {
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
	if out.RegisteredToolCount != len(All().Visible(e.Cfg)) || len(out.Checks) != 12 {
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

// expectedToolNames (the self-test's independent matrix) agrees with the
// registry's for every mode combination.
func TestExpectedToolNamesMatchRegistry(t *testing.T) {
	for _, tm := range []string{"minimal", "standard", "full"} {
		for _, wm := range []string{"workspace", "handoff", "off"} {
			for _, bm := range []string{"safe", "off"} {
				for _, ct := range []bool{false, true} {
					for _, cs := range []string{"off", "metadata", "read"} {
						for _, an := range []bool{true, false} {
							cfg := Config{ToolMode: tm, WriteMode: wm, BashMode: bm, ConnectionTest: ct, CodexSessions: cs, Analysis: an}
							got, want := strings.Join(expectedToolNames(cfg), " "), strings.Join(Names(referenceCatalog().Visible(cfg)), " ")
							if got != want {
								t.Errorf("%+v:\n self-test %s\n registry  %s", cfg, got, want)
							}
						}
					}
				}
			}
		}
	}
}
