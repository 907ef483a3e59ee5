package handoff

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"codexpro.dev/pkg/agentapi"
	"codexpro.dev/pkg/agentapi/agentpb"
)

// executor is the agent a run uses: an adapter plugin, or the custom argv
// template run in-process through the same agentapi.Exec.
type executor struct {
	agentapi.Agent
	name  string
	close func()
}

func (e *executor) Close() {
	if e != nil && e.close != nil {
		e.close()
	}
}

// openExecutor prepares the executor. --command always wins over --agent,
// as CodexPro 0.30 does.
func openExecutor(o *Options, logw io.Writer) (*executor, error) {
	if o.Command != "" {
		if !usesPlaceholder(o.Command, "plan_file", "plan_text") {
			return nil, fmt.Errorf("custom --command must include {{plan_file}} or {{plan_text}} so the agent receives the handoff")
		}
		return &executor{Agent: agentapi.BuilderAgent{B: templateCommand{o}}, name: o.Agent}, nil
	}
	ref, err := findPlugin(o, o.Agent)
	if err != nil {
		return nil, err
	}
	a, kill, err := startPlugin(ref, o.Root, o.agentEnv(), logw)
	if err != nil {
		return nil, err
	}
	return &executor{Agent: a, name: o.Agent, close: kill}, nil
}

// templateCommand is the custom --command executor: the template is split
// into argv first and the placeholders are substituted inside each
// argument, for the plan of each request.
type templateCommand struct{ o *Options }

func (t templateCommand) Describe() *agentpb.DescribeResponse {
	return &agentpb.DescribeResponse{Name: "custom", DisplayName: "custom command"}
}

func (t templateCommand) Build(req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	text := req.GetPlanText()
	if usesPlaceholder(t.o.Command, "plan_text") && len(text) > maxArgBytes {
		return nil, fmt.Errorf("--command uses {{plan_text}} but the plan is %d bytes, over the %d-byte limit of one argument; use {{plan_file}}", len(text), maxArgBytes)
	}
	vars := map[string]string{"model": req.GetModel(), "plan_file": req.GetPlanFile(), "plan_text": text, "root": req.GetRoot()}
	argv, err := expandTemplate("--command", t.o.Command, vars)
	if err != nil {
		return nil, err
	}
	argv[0] = rootRelative(argv[0], req.GetRoot())
	return &agentpb.CommandResponse{Argv: argv, Display: previewHidingPlan(argv, text)}, nil
}

// previewHidingPlan previews argv with the plan text abbreviated.
func previewHidingPlan(argv []string, text string) string {
	if text == "" {
		return agentapi.Preview(argv)
	}
	shown := make([]string, len(argv))
	for i, a := range argv {
		shown[i] = strings.ReplaceAll(a, text, "<plan_text>")
	}
	return agentapi.Preview(shown)
}

// rootRelative makes a path-like program name (./x, dir/x) absolute
// against the workspace root; bare names are left for PATH lookup.
func rootRelative(prog, root string) string {
	if filepath.IsAbs(prog) || !strings.ContainsAny(prog, `/\`) {
		return prog
	}
	return filepath.Join(root, prog)
}

// findProgram checks that argv[0] can be executed with env's PATH.
func findProgram(prog string, env []string) error {
	notFound := fmt.Errorf("%s was not found. Install it, add it to PATH, pass an absolute path, or use --command", prog)
	if strings.Contains(prog, "/") {
		if executable(prog) {
			return nil
		}
		return notFound
	}
	for _, dir := range filepath.SplitList(envValue(env, "PATH")) {
		if dir != "" && executable(filepath.Join(dir, prog)) {
			return nil
		}
	}
	return notFound
}

func executable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

func envValue(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if val, ok := strings.CutPrefix(kv, key+"="); ok {
			v = val
		}
	}
	return v
}
