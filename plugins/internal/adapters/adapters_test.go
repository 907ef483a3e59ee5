package adapters

import (
	"reflect"
	"testing"

	"codexpro.dev/pkg/agentapi"
	"codexpro.dev/pkg/agentapi/agentpb"
)

func TestArgvMatchesReference(t *testing.T) {
	const p = ".ai-bridge/current-plan.md"
	base := func(model string, env ...string) *agentpb.RunRequest {
		return &agentpb.RunRequest{Root: "/w", PlanRel: p, PlanFile: "/w/" + p, ContextDir: ".ai-bridge", Model: model, Env: env}
	}
	codexPrompt := "Read the handoff plan at " + p + " and execute it in this workspace. Keep changes scoped to that plan. Do not modify " + p + ". When finished, summarize changed files and verification."
	cases := []struct {
		name    string
		b       agentapi.Builder
		req     *agentpb.RunRequest
		argv    []string
		display string
	}{
		{"opencode", OpenCode(), base(""),
			[]string{"opencode", "run", "Read the handoff plan at " + p + " and execute it in this workspace."},
			"opencode run '<read .ai-bridge/current-plan.md>'"},
		{"opencode model", OpenCode(), base("anthropic/claude"),
			[]string{"opencode", "run", "--model", "anthropic/claude", "Read the handoff plan at " + p + " and execute it in this workspace."},
			"opencode run --model anthropic/claude '<read .ai-bridge/current-plan.md>'"},
		{"pi", Pi(), base("m x"),
			[]string{"pi", "--model", "m x", "-p", "Read the handoff plan at " + p + " and execute it in this workspace."},
			"pi --model 'm x' -p '<read .ai-bridge/current-plan.md>'"},
		{"codex", Codex{}, base("gpt-5"),
			[]string{"codex", "exec", "--ephemeral", "--sandbox", "workspace-write", "-c", `approval_policy="never"`,
				"--output-last-message", "/w/.ai-bridge/codex-last-message.md", "--model", "gpt-5", codexPrompt},
			`codex exec --ephemeral --sandbox workspace-write -c 'approval_policy="never"' --output-last-message .ai-bridge/codex-last-message.md --model gpt-5 '<read .ai-bridge/current-plan.md>'`},
		{"codex bin relative", Codex{}, base("", "CODEXPRO_CODEX_BIN=./tools/codex"),
			[]string{"/w/tools/codex", "exec", "--ephemeral", "--sandbox", "workspace-write", "-c", `approval_policy="never"`,
				"--output-last-message", "/w/.ai-bridge/codex-last-message.md", codexPrompt}, ""},
		{"codex bin name", Codex{}, base("", "CODEXPRO_CODEX_BIN=codex-beta"),
			[]string{"codex-beta", "exec", "--ephemeral", "--sandbox", "workspace-write", "-c", `approval_policy="never"`,
				"--output-last-message", "/w/.ai-bridge/codex-last-message.md", codexPrompt}, ""},
	}
	for _, c := range cases {
		got, err := c.b.Build(c.req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(got.Argv, c.argv) {
			t.Errorf("%s argv\n got %q\nwant %q", c.name, got.Argv, c.argv)
		}
		if c.display != "" && got.Display != c.display {
			t.Errorf("%s display\n got %s\nwant %s", c.name, got.Display, c.display)
		}
	}
	if _, err := Pi().Build(&agentpb.RunRequest{}); err == nil {
		t.Error("Build without root and plan must fail")
	}
}
