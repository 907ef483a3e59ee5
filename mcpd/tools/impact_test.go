package tools

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/internal/wstest"
)

func TestShowChangesImpact(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{
		"go.mod":                 "module example.com/m\n",
		"main.go":                "package main\n\nimport \"example.com/m/pkg/auth\"\n\nfunc main() { auth.Check() }\n",
		"pkg/auth/token.go":      "package auth\n\nfunc Check() {}\n",
		"pkg/auth/token_test.go": "package auth\n\nfunc TestCheck() {}\n",
		"package.json":           `{"scripts":{"lint":"eslint .","test":"vitest"}}`,
		"pnpm-lock.yaml":         "lockfileVersion: 9\n",
		"web/src/util.ts":        "export const u = 1\n",
	})
	gitInit(t, root)
	wstest.WriteFile(t, filepath.Join(root, "pkg/auth/token.go"), "package auth\n\nfunc Check() { _ = 1 }\n")
	r := callTool(t, e, "show_changes", nil)
	s := mustOK(t, r)
	raw, _ := json.Marshal(s["analysis"])
	var a changeImpact
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("analysis %s: %v", raw, err)
	}
	if strings.Join(a.ChangedPaths, ",") != "pkg/auth/token.go" || strings.Join(a.AffectedAreas, ",") != "pkg" {
		t.Errorf("changed %v, areas %v", a.ChangedPaths, a.AffectedAreas)
	}
	if len(a.DependentFiles) != 1 || a.DependentFiles[0].Path != "main.go" {
		t.Errorf("dependents = %+v", a.DependentFiles)
	}
	if len(a.RelatedTests) != 1 || a.RelatedTests[0].Path != "pkg/auth/token_test.go" {
		t.Errorf("tests = %+v", a.RelatedTests)
	}
	if len(a.RiskSignals) == 0 || a.RiskSignals[0].Kind != "authentication" {
		t.Errorf("risks = %+v", a.RiskSignals)
	}
	if got := strings.Join(a.RecommendedCommands, "; "); got != "pnpm test; pnpm run lint; go test ./..." {
		t.Errorf("commands = %s", got)
	}
	if !strings.Contains(resultText(r), "## Change impact") {
		t.Error("text lacks the impact summary")
	}
	e.Cfg.Analysis = false
	wstest.WriteFile(t, filepath.Join(root, "main.go"), "package main\n\nfunc main() {}\n")
	if s := mustOK(t, callTool(t, e, "show_changes", nil)); s["analysis"] != nil {
		t.Error("analysis present with analysis disabled")
	}
}
