package handoff

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/redact"
)

// localVars are the placeholders of --reviewer and --run-tests: absolute
// paths of the loop's files, plus the iteration.
func (s *session) localVars(iteration int, verdictFile string) map[string]string {
	abs := func(name string) string { return s.fs.abs(s.dir.Rel(name)) }
	return map[string]string{
		"root": s.o.Root, "context_dir": s.fs.abs(s.o.ContextDir), "iteration": strconv.Itoa(iteration),
		"plan_file": abs(bridge.CurrentPlan), "status_file": abs(bridge.HandoffStatus),
		"agent_status_file": abs(bridge.AgentStatus), "diff_file": abs(bridge.ImplementationDiff),
		"log_file": abs(bridge.ExecutionLog), "tests_file": abs(bridge.LoopTests),
		"review_file": abs(bridge.LoopReview), "state_file": abs(bridge.LoopStateFile),
		"run_state_file": abs(bridge.RunStateFile), "verdict_file": verdictFile,
	}
}

// localArgv expands a reviewer or test template.
func (s *session) localArgv(flag, tmpl string, iteration int, verdictFile string) ([]string, error) {
	argv, err := expandTemplate(flag, tmpl, s.localVars(iteration, verdictFile))
	if err != nil {
		return nil, err
	}
	argv[0] = rootRelative(argv[0], s.o.Root)
	return argv, nil
}

// runLocal runs a test or reviewer command in the workspace, as its own
// process group with the agent environment plus extra.
func (s *session) runLocal(ctx context.Context, argv []string, timeout time.Duration, extra ...string) procx.Result {
	res, err := procx.Run(ctx, procx.Spec{
		Argv: argv, Dir: s.o.Root, Env: s.o.agentEnv(extra...), Timeout: timeout, MaxOutput: s.o.MaxOutputBytes,
		OnOutput: func(_ string, p []byte) { s.rep.output(p) },
	})
	if err != nil {
		res.ExitCode = 127
		if ctx.Err() != nil {
			res.ExitCode = -1
		}
		res.Stderr += "\n[handoff] " + err.Error()
	}
	if res.TimedOut {
		res.Stderr += fmt.Sprintf("\n[handoff] Command timed out after %d ms; its process tree was killed.", timeout.Milliseconds())
	}
	return res
}

// localReport renders loop-tests.txt and loop-review.md.
func (s *session) localReport(title string, argv []string, res procx.Result, extra ...bridge.Field) string {
	fields := []bridge.Field{{Key: "Updated", Value: s.stamp()}, {Key: "Command", Value: previewHidingPlan(argv, "")}}
	fields = append(fields, extra...)
	fields = append(fields, bridge.Field{Key: "Exit code", Value: strconv.Itoa(res.ExitCode)})
	if res.Signal != "" {
		fields = append(fields, bridge.Field{Key: "Signal", Value: res.Signal})
	}
	fields = append(fields,
		bridge.Field{Key: "Timed out", Value: yesNo(res.TimedOut)},
		bridge.Field{Key: "Duration", Value: fmt.Sprintf("%d ms", res.Duration.Milliseconds())})
	return bridge.FormatReport(title, fields, []bridge.Section{{Heading: "stdout", Body: redact.Text(res.Stdout)}, {Heading: "stderr", Body: redact.Text(res.Stderr)}})
}

// verdictFile is a fresh, empty file outside the workspace that only the
// reviewer of one iteration is told about ($HANDOFF_VERDICT_FILE).
type verdictFile struct {
	dir, path string
}

func newVerdictFile(root string) (*verdictFile, error) {
	dir, err := os.MkdirTemp("", "handoff-verdict-")
	if err != nil {
		return nil, fmt.Errorf("create verdict file: %w", err)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err == nil && within(root, real) {
		err = fmt.Errorf("TMPDIR %s is inside the workspace; the verdict file must live outside it", os.TempDir())
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	p := filepath.Join(dir, "verdict")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("create verdict file: %w", err)
	}
	return &verdictFile{dir: dir, path: p}, nil
}

// read returns what the reviewer wrote ("" when nothing).
func (v *verdictFile) read() string {
	f, err := os.Open(v.path)
	if err != nil {
		return ""
	}
	defer f.Close()
	data, _ := io.ReadAll(io.LimitReader(f, 64<<10))
	return string(data)
}

func (v *verdictFile) remove() { os.RemoveAll(v.dir) }

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
