// Package adapters builds the argv of the built-in agents exactly as
// CodexPro 0.30 does, so a user switching from it
// gets the same agent invocations.
package adapters

import (
	"errors"
	"path"
	"path/filepath"
	"strings"

	"codexpro.dev/pkg/agentapi"
	"codexpro.dev/pkg/agentapi/agentpb"
	"codexpro.dev/pkg/bridge"
)

// Prompt is the built-in instruction given to OpenCode and Pi.
func Prompt(planRel string) string {
	return "Read the handoff plan at " + planRel + " and execute it in this workspace."
}

// CodexPrompt adds the scope rules Codex gets.
func CodexPrompt(planRel string) string {
	return Prompt(planRel) + " Keep changes scoped to that plan. Do not modify " + planRel +
		". When finished, summarize changed files and verification."
}

func check(req *agentpb.RunRequest) error {
	if req.GetRoot() == "" || req.GetPlanRel() == "" {
		return errors.New("run request needs root and plan_rel")
	}
	return nil
}

// command pairs argv with a display in which the prompt (argv[promptAt])
// reads "<read P>" and any other token can be swapped via display.
func command(argv []string, promptAt int, planRel string, display map[int]string) *agentpb.CommandResponse {
	shown := append([]string(nil), argv...)
	shown[promptAt] = "<read " + planRel + ">"
	for i, s := range display {
		shown[i] = s
	}
	return &agentpb.CommandResponse{Argv: argv, Display: agentapi.Preview(shown)}
}

func withModel(argv []string, model string) []string {
	if model == "" {
		return argv
	}
	return append(argv, "--model", model)
}

// simple is an adapter whose argv is a fixed shape around the prompt.
type simple struct {
	name, display string
	argv          func(model, prompt string) []string
}

// Describe names the adapter.
func (a simple) Describe() *agentpb.DescribeResponse {
	return &agentpb.DescribeResponse{Name: a.name, DisplayName: a.display, Version: "1"}
}

// Build returns the argv.
func (a simple) Build(req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	if err := check(req); err != nil {
		return nil, err
	}
	argv := a.argv(req.GetModel(), Prompt(req.GetPlanRel()))
	return command(argv, len(argv)-1, req.GetPlanRel(), nil), nil
}

// OpenCode runs `opencode run [--model M] "<prompt>"`.
func OpenCode() agentapi.Builder {
	return simple{"opencode", "OpenCode", func(model, prompt string) []string {
		return append(withModel([]string{"opencode", "run"}, model), prompt)
	}}
}

// Pi runs `pi [--model M] -p "<prompt>"`.
func Pi() agentapi.Builder {
	return simple{"pi", "Pi", func(model, prompt string) []string {
		return append(withModel([]string{"pi"}, model), "-p", prompt)
	}}
}

// Codex runs `codex exec --ephemeral --sandbox workspace-write -c
// approval_policy="never" --output-last-message <ctx>/codex-last-message.md
// [--model M] "<prompt>"`. CODEXPRO_CODEX_BIN in the agent's environment
// names another binary; a path-like value is taken relative to the root.
type Codex struct{}

// Describe names the adapter.
func (Codex) Describe() *agentpb.DescribeResponse {
	return &agentpb.DescribeResponse{Name: "codex", DisplayName: "Codex", Version: "1"}
}

// Build returns the argv.
func (Codex) Build(req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	if err := check(req); err != nil {
		return nil, err
	}
	ctx := req.GetContextDir()
	if ctx == "" {
		ctx = bridge.DefaultContextDir
	}
	lastRel := path.Join(ctx, bridge.CodexLastMessage)
	argv := []string{codexBin(req), "exec", "--ephemeral", "--sandbox", "workspace-write",
		"-c", `approval_policy="never"`,
		"--output-last-message", filepath.Join(req.GetRoot(), filepath.FromSlash(lastRel))}
	lastAt := len(argv) - 1
	argv = append(withModel(argv, req.GetModel()), CodexPrompt(req.GetPlanRel()))
	return command(argv, len(argv)-1, req.GetPlanRel(), map[int]string{lastAt: lastRel}), nil
}

func codexBin(req *agentpb.RunRequest) string {
	bin := ""
	for _, kv := range req.GetEnv() {
		if v, ok := strings.CutPrefix(kv, "CODEXPRO_CODEX_BIN="); ok {
			bin = strings.TrimSpace(v)
		}
	}
	switch {
	case bin == "":
		return "codex"
	case strings.ContainsAny(bin, `/\`) || strings.HasPrefix(bin, "."):
		if filepath.IsAbs(bin) {
			return bin
		}
		return filepath.Join(req.GetRoot(), bin)
	}
	return bin
}
