package agentapi

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"codexpro.dev/pkg/agentapi/agentpb"
	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/sandbox"
)

// Exec runs argv for req through procx: in its own process group, with
// req.Env, the timeout and output cap of req, optionally confined by
// Landlock, and with the whole tree killed on timeout or when ctx ends.
// Adapters and handoff's custom --command both run agents through it.
func Exec(ctx context.Context, argv []string, req *agentpb.RunRequest, onOutput func(*agentpb.Output)) *agentpb.Exit {
	spec := procx.Spec{
		Argv:      argv,
		Dir:       req.GetRoot(),
		Env:       req.GetEnv(),
		Timeout:   time.Duration(req.GetTimeoutMs()) * time.Millisecond,
		MaxOutput: int(req.GetMaxOutputBytes()),
	}
	if spec.Env == nil {
		spec.Env = procx.Env(false)
	}
	if onOutput != nil {
		spec.OnOutput = func(stream string, p []byte) {
			onOutput(&agentpb.Output{Stream: stream, Data: append([]byte(nil), p...)})
		}
	}
	if mode := req.GetSandboxMode(); mode != "" && mode != sandbox.ModeOff {
		tmp, err := os.MkdirTemp("", "handoff-agent-tmp-")
		if err != nil {
			return &agentpb.Exit{ExitCode: -1, Argv: argv, Error: fmt.Sprintf("sandbox temp dir: %v", err)}
		}
		defer os.RemoveAll(tmp)
		// The agent reads its user's git and toolchain configuration like a
		// bash child does; the home's credentials stay denied.
		home, _ := os.UserHomeDir()
		pol := sandbox.Policy{Mode: mode, Workspace: req.GetRoot(), TempDir: tmp, Net: req.GetSandboxNet(),
			ReadDirs:  append(programDirs(argv[0], spec.Env), req.GetSandboxReadDirs()...),
			WriteDirs: req.GetSandboxWriteDirs()}.Apply(sandbox.HomeToolchain(home, os.Getenv))
		spec.Sandbox = &pol
		spec.Env = append(spec.Env, "TMPDIR="+tmp)
	}
	res, err := procx.Run(ctx, spec)
	exit := &agentpb.Exit{
		ExitCode:   int32(res.ExitCode),
		Signal:     res.Signal,
		TimedOut:   res.TimedOut,
		Truncated:  res.Truncated || res.Flooded,
		DurationMs: res.Duration.Milliseconds(),
		Stdout:     res.Stdout,
		Stderr:     res.Stderr,
		Argv:       argv,
	}
	if err != nil {
		exit.Error = err.Error()
		exit.ExitCode = -1
		if ctx.Err() == nil {
			// Could not start (not found, not executable): the shell's 127.
			exit.ExitCode = 127
		}
	}
	if res.TimedOut {
		exit.Stderr += fmt.Sprintf("\n[handoff] Command timed out after %d ms; its process tree was killed.", req.GetTimeoutMs())
	}
	return exit
}

// programDirs are the directories a confined agent needs to read to start
// at all: where PATH (or its path) finds argv[0], and where that file
// really lives when it is a symlink (npm and pipx install that way).
func programDirs(prog string, env []string) []string {
	p := prog
	if !strings.Contains(prog, "/") {
		p = ""
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, "PATH="); ok {
				for _, dir := range filepath.SplitList(v) {
					if fi, err := os.Stat(filepath.Join(dir, prog)); err == nil && fi.Mode().IsRegular() && dir != "" {
						p = filepath.Join(dir, prog)
						break
					}
				}
			}
		}
	}
	if p == "" || !filepath.IsAbs(p) {
		return nil
	}
	dirs := []string{filepath.Dir(p)}
	if real, err := filepath.EvalSymlinks(p); err == nil && filepath.Dir(real) != dirs[0] {
		dirs = append(dirs, filepath.Dir(real))
	}
	return dirs
}
