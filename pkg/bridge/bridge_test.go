package bridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

func TestPlanHashAndScaffold(t *testing.T) {
	if got := PlanHash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("PlanHash(abc) = %s", got)
	}
	for text, want := range map[string]bool{
		ScaffoldPlan: true, "  # Current Plan\n\nNo plan written yet.": true, "\n \n": true,
		"# Current Plan\n\nDo X.\n": false,
	} {
		if IsScaffoldPlan(text) != want {
			t.Errorf("IsScaffoldPlan(%q) = %v", text, !want)
		}
	}
}

func TestValidateAgentID(t *testing.T) {
	for in, want := range map[string]string{"Codex": "codex", " my-agent.v2 ": "my-agent.v2"} {
		if got, err := ValidateAgentID(in); err != nil || got != want {
			t.Errorf("ValidateAgentID(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "-x", "../x", "a b", "a/b", strings.Repeat("a", 65)} {
		if _, err := ValidateAgentID(bad); err == nil {
			t.Errorf("ValidateAgentID(%q) accepted", bad)
		}
	}
}

func TestFormatPlan(t *testing.T) {
	got := FormatPlan(PlanInput{Updated: "T", Workspace: "/w", Agent: "opencode", Model: "m", Plan: "  do it \n", ContextDir: ".ai"})
	for _, want := range []string{
		"# Agent implementation plan\n\nUpdated: T\nWorkspace: /w\nTarget agent: OpenCode (opencode)\nModel: m\n\n## Plan\n\ndo it\n\n## Implementation contract\n",
		"- Update .ai/agent-status.md with",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("FormatPlan missing %q in:\n%s", want, got)
		}
	}
	if got := AppendPlan("old\n\n", "new"); got != "old\n\n---\n\nnew" {
		t.Errorf("AppendPlan = %q", got)
	}
}

func TestEventKeepsTSAndEventFirst(t *testing.T) {
	line, err := Event{TS: "t", Name: "execute_handoff", Fields: map[string]any{"b": 1, "a": "x", "event": "forged"}}.Line()
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ts":"t","event":"execute_handoff","a":"x","b":1}` + "\n"; string(line) != want {
		t.Fatalf("line = %q, want %q", line, want)
	}
}

func TestAppendLineDropsOldestWholeLines(t *testing.T) {
	cases := []struct {
		old, line string
		max       int
		want      string
	}{
		{"", "a\n", 10, "a\n"},
		{"a\nb", "c\n", 10, "a\nb\nc\n"},
		{"1111\n2222\n", "3333\n", 10, "2222\n3333\n"},
		{"1111\n2222\n", "3333\n", 12, "2222\n3333\n"},
		{"1111\n", "22222222222\n", 5, "22222222222\n"},
	}
	for _, c := range cases {
		if got := string(AppendLine([]byte(c.old), []byte(c.line), c.max)); got != c.want {
			t.Errorf("AppendLine(%q,%q,%d) = %q, want %q", c.old, c.line, c.max, got, c.want)
		}
	}
}

func TestRunStateRoundTrip(t *testing.T) {
	fin := "2026-01-01T00:00:00Z"
	r := RunState{State: StateCompleted, Phase: PhaseDone, Iteration: 2, FinishedAt: &fin, ExitCode: IntPtr(0), Verdict: VerdictPass, StopReason: StopPass}
	got, err := ParseRunState(r.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !got.Terminal() || got.Verdict != "PASS" || *got.ExitCode != 0 || got.Phase != "done" {
		t.Fatalf("round trip lost fields: %+v", got)
	}
	var raw map[string]any
	if err := json.Unmarshal(RunState{State: StateRunning}.Marshal(), &raw); err != nil {
		t.Fatal(err)
	}
	if v, ok := raw["finished_at"]; !ok || v != nil {
		t.Errorf("running state must carry finished_at: null, got %v", raw)
	}
	for _, bad := range []string{`[]`, `{"state":"done"}`, `nope`} {
		if _, err := ParseRunState([]byte(bad)); err == nil || !strings.Contains(err.Error(), RunStateFile) {
			t.Errorf("ParseRunState(%s) err = %v", bad, err)
		}
	}
}

func TestFenceCannotBeClosedByContent(t *testing.T) {
	got := Fence("x\n```\n# injected\n")
	if strings.Count(got, "```") != 2 {
		t.Fatalf("inner fence survived: %q", got)
	}
	if Fence("  \n") != "```text\n(empty)\n```\n" {
		t.Fatalf("empty fence = %q", Fence(""))
	}
	rep := FormatReport("T", []Field{{"A", "1"}}, []Section{{"S", "body"}})
	if rep != "# T\n\nA: 1\n\n## S\n\n```text\nbody\n```\n" {
		t.Fatalf("report = %q", rep)
	}
}

type memFS map[string][]byte

func (memFS) RefusesLinks() {}

func (m memFS) WriteFile(rel string, data []byte, perm fs.FileMode) (string, error) {
	if perm != 0o600 {
		return "", fmt.Errorf("perm %v", perm)
	}
	m[rel] = bytes.Clone(data)
	return rel, nil
}

func (m memFS) ReadFile(rel string, max int64) ([]byte, string, error) {
	d, ok := m[rel]
	if !ok {
		return nil, rel, fmt.Errorf("guard: %w", fs.ErrNotExist)
	}
	if int64(len(d)) > max {
		return nil, rel, errors.New("too-large")
	}
	return d, rel, nil
}

func TestDirAppendEventAndRunState(t *testing.T) {
	m := memFS{}
	d := Dir{Context: ".ai", FS: m, MaxLogBytes: 200}
	for i := 0; i < 20; i++ {
		if err := d.AppendEvent(ExecutionLog, Event{TS: "t", Name: "e", Fields: map[string]any{"i": i}}); err != nil {
			t.Fatal(err)
		}
	}
	log := string(m[".ai/execution-log.jsonl"])
	if len(log) > 200 || !strings.HasSuffix(log, `"i":19}`+"\n") || strings.Contains(log, `"i":0}`) {
		t.Fatalf("log not bounded to newest events: %q", log)
	}
	if err := d.WriteRunState(RunState{State: StateRunning, Phase: PhaseExecuting}); err != nil {
		t.Fatal(err)
	}
	got, err := d.ReadRunState()
	if err != nil || got.Version != 1 || got.Phase != PhaseExecuting {
		t.Fatalf("ReadRunState = %+v, %v", got, err)
	}
}
