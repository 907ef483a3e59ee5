package tools

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/sandbox"
)

// sandboxProbes runs git and a Go build the way a bash call runs its
// commands: the same procx spec, scrubbed environment, toolchain and
// sandbox policy (bashRun.spec). A sandbox that keeps git from its
// configuration or the Go build from its cache fails here, naming the
// error, instead of passing on a probe that ran outside it.
func (s *selfTester) sandboxProbes(ctx context.Context) {
	tmp, err := os.MkdirTemp("", "codexpro-selftest-*")
	if err != nil {
		s.add("sandboxed git", "fail", "private temp dir: "+err.Error())
		return
	}
	defer os.RemoveAll(tmp)
	run := bashRun{dir: s.w.Root, root: s.w.Root, max: 4096, bc: s.e.Cfg.Bash, toolchain: sandbox.Toolchains, redact: s.e.Redact}
	spec, status, err := run.spec(tmp)
	if err != nil {
		s.add("sandboxed git", "fail", err.Error())
		return
	}
	spec.Timeout = time.Minute
	s.runProbe(ctx, "sandboxed git", spec, status, s.w.Root, "git", "status", "--porcelain")
	mod := filepath.Join(tmp, "probe")
	files := map[string]string{"go.mod": "module codexproprobe\n\ngo 1.21\n", "probe.go": "package probe\n\nfunc One() int { return 1 }\n"}
	for name, body := range files {
		err := os.MkdirAll(mod, 0o700)
		if err == nil {
			err = os.WriteFile(filepath.Join(mod, name), []byte(body), 0o600)
		}
		if err != nil {
			s.add("sandboxed build", "fail", "write the probe module: "+err.Error())
			return
		}
	}
	s.runProbe(ctx, "sandboxed build", spec, status, mod, "go", "build", "./...")
}

// runProbe runs argv in dir with spec and records pass, warn (the tool is
// missing, or the workspace is not a repository) or fail with the
// command's own error.
func (s *selfTester) runProbe(ctx context.Context, name string, spec procx.Spec, status, dir string, argv ...string) {
	cmd := strings.Join(argv, " ")
	if _, err := exec.LookPath(argv[0]); err != nil {
		s.add(name, "warn", argv[0]+" is not on PATH; probe skipped")
		return
	}
	spec.Argv, spec.Dir = argv, dir
	res, err := procx.Run(ctx, spec)
	stderr := strings.TrimSpace(s.e.Redact.Text(procx.StripMarker(res.Stderr)))
	switch {
	case err != nil:
		s.add(name, "fail", fmt.Sprintf("%s could not start: %v (%s)", cmd, err, status))
	case res.ExitCode == 0:
		s.add(name, "pass", fmt.Sprintf("%s works the way bash runs it: %s", cmd, status))
	case strings.Contains(stderr, "not a git repository"):
		s.add(name, "warn", "the workspace is not a git repository")
	default:
		s.add(name, "fail", fmt.Sprintf("%s exits %d the way bash runs it (%s): %s", cmd, res.ExitCode, status, lastLines(stderr, 3)))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
