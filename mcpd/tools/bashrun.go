package tools

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"codexpro.dev/mcpd/bashpolicy"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/gitx"
	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/redact"
	"codexpro.dev/pkg/sandbox"
)

// bashRun executes the decided steps of one bash call.
type bashRun struct {
	dir, root string
	timeout   time.Duration
	max       int
	bc        toolkit.BashConfig
	toolchain func() (sandbox.Toolchain, error)
	redact    toolkit.Redactor
	git       *gitx.Repo // filters safe-mode git output (bashpolicy.Decision.Git)
}

// exec runs steps in order in a private temp dir, stopping at the first
// failure, with one deadline and one output budget for the whole chain.
func (r bashRun) exec(ctx context.Context, d bashpolicy.Decision, out *bashOut) error {
	tmp, err := os.MkdirTemp("", "codexpro-bash-*")
	if err != nil {
		return fmt.Errorf("bash: private temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	spec, status, err := r.spec(tmp)
	if err != nil {
		return err
	}
	out.Sandbox = status
	start := time.Now()
	deadline := start.Add(r.timeout)
	var stdout, stderr strings.Builder
	for i, argv := range d.Steps {
		spec.Argv = argv
		// procx reads a zero timeout as "none": a chain that used up its
		// time stops here instead.
		if spec.Timeout = time.Until(deadline); spec.Timeout <= 0 {
			out.TimedOut = true
			break
		}
		var res procx.Result
		if i < len(d.Git) && d.Git[i] != nil {
			res, err = r.git.SafeRun(ctx, spec, *d.Git[i])
		} else {
			res, err = procx.Run(ctx, spec)
		}
		if err != nil {
			return fmt.Errorf("bash: %w", err)
		}
		stdout.WriteString(res.Stdout)
		stderr.WriteString(res.Stderr)
		out.ExitCode, out.Signal = res.ExitCode, res.Signal
		out.TimedOut = out.TimedOut || res.TimedOut
		out.Flooded = out.Flooded || res.Flooded
		out.Truncated = out.Truncated || res.Truncated
		if res.ExitCode != 0 || res.TimedOut || res.Flooded {
			break
		}
	}
	out.DurationMs = time.Since(start).Milliseconds()
	r.finish(out, stdout.String(), stderr.String())
	return nil
}

// spec builds the procx spec shared by every step: scrubbed environment
// with TMPDIR pointing at the private temp dir, and the sandbox policy.
func (r bashRun) spec(tmp string) (procx.Spec, string, error) {
	extra := []string{"TMPDIR=" + tmp}
	s := procx.Spec{Dir: r.dir, MaxOutput: r.max + redactSlack}
	mode := r.bc.Sandbox
	if mode == "" {
		mode = sandbox.ModeAuto
	}
	pol := sandbox.Policy{Mode: mode, Workspace: r.root, TempDir: tmp, Net: r.bc.SandboxNet}
	active, status := pol.Active()
	if active {
		tc, err := r.toolchain()
		if err != nil {
			return procx.Spec{}, "", fmt.Errorf("bash sandbox: %w", err)
		}
		pol = pol.Apply(tc)
		extra = slices.Concat(extra, tc.Env)
	}
	if mode != sandbox.ModeOff {
		s.Sandbox = &pol
	}
	s.Env = procx.Env(r.bc.InheritEnv, extra...)
	return s, status, nil
}

// finish redacts, then caps each stream, then adds the notes a reader
// needs to interpret a stopped command. A command may print a cut of a
// file (sed -n, tail, grep), so key-body lines are hidden even without
// their BEGIN line (redact.KeyBodies).
func (r bashRun) finish(out *bashOut, stdout, stderr string) {
	var cut bool
	out.Stdout, cut = capText(r.redact.Text(redact.KeyBodies(procx.StripMarker(stdout))), r.max)
	out.Truncated = out.Truncated || cut
	out.Stderr, cut = capText(r.redact.Text(redact.KeyBodies(procx.StripMarker(stderr))), r.max)
	out.Truncated = out.Truncated || cut
	if out.TimedOut {
		out.Stderr += fmt.Sprintf("\n[codexpro] Command timed out after %d ms.", r.timeout.Milliseconds())
	}
	if out.Flooded {
		out.Stderr += "\n[codexpro] Command stopped: it kept printing far past the output cap (CODEXPRO_MAX_OUTPUT_BYTES)."
	}
}

// capText trims s to max bytes, on a UTF-8 boundary, with the marker.
func capText(s string, max int) (string, bool) {
	if max <= 0 || len(s) <= max {
		return s, false
	}
	cut := max
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n...[output truncated at %d bytes]", max), true
}
