package tools

import (
	"encoding/json"
	"testing"

	"codexpro.dev/mcpd/toolkit"
)

func searchAnalysisOf(t *testing.T, e *toolkit.Env, args map[string]any) *searchAnalysis {
	t.Helper()
	s := mustOK(t, callTool(t, e, "search", args))
	if s["analysis"] == nil {
		return nil
	}
	raw, _ := json.Marshal(s["analysis"])
	var a searchAnalysis
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	return &a
}

func groupPaths(a *searchAnalysis, g string) []string {
	var out []string
	for _, m := range a.Groups[g] {
		out = append(out, m.Path)
	}
	return out
}

func TestSearchAnalysisGroups(t *testing.T) {
	e, _ := newTestEnv(t, repoFixture())
	a := searchAnalysisOf(t, e, map[string]any{"query": "ignored", "symbol": "Exported", "intent": "references", "include_tests": true})
	if a == nil || a.Intent != "references" {
		t.Fatalf("analysis = %+v", a)
	}
	if got := groupPaths(a, "definitions"); len(got) != 1 || got[0] != "internal/x/x.go" || a.Groups["definitions"][0].Line != 4 {
		t.Errorf("definitions = %v", a.Groups["definitions"])
	}
	if got := groupPaths(a, "tests"); len(got) == 0 || got[0] != "internal/x/x_test.go" {
		t.Errorf("tests = %v", got)
	}
	if got := groupPaths(a, "references"); len(got) == 0 || got[0] != "main.go" {
		t.Errorf("references = %v", got)
	}
	if a.Matches[0].Group != "definitions" {
		t.Errorf("definitions must rank first: %+v", a.Matches[0])
	}

	noTests := searchAnalysisOf(t, e, map[string]any{"query": "Exported", "intent": "symbol"})
	if len(noTests.Groups["tests"]) != 0 {
		t.Errorf("tests grouped without include_tests: %v", noTests.Groups["tests"])
	}
	if a := searchAnalysisOf(t, e, map[string]any{"query": "Exported"}); a != nil {
		t.Error("analysis without intent, symbol or include_tests")
	}
	if a := searchAnalysisOf(t, e, map[string]any{"query": "Export.d", "regex": true, "intent": "auto"}); a.Intent != "text" || len(a.Matches) != 0 || len(a.Warnings) == 0 {
		t.Errorf("regex analysis = %+v", a)
	}
	e.Cfg.Analysis = false
	if a := searchAnalysisOf(t, e, map[string]any{"query": "Exported", "intent": "symbol"}); a.Cache.Key != "disabled" || len(a.Warnings) == 0 {
		t.Errorf("disabled analysis = %+v", a)
	}
}
