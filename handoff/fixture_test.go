package handoff

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"codexpro.dev/pkg/bridge"
)

// builtinDir holds handoff-agent-{codex,opencode,pi}; exampleBin is the
// third-party example adapter. They are built once per test binary, on
// first use, so fuzz workers and pure unit tests do not pay for it.
var (
	builtinDir, exampleBin string
	pluginTmp              string
	buildOnce              sync.Once
	buildErr               error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pluginTmp != "" {
		os.RemoveAll(pluginTmp)
	}
	os.Exit(code)
}

func needPlugins(t *testing.T) {
	t.Helper()
	buildOnce.Do(func() { buildErr = buildPlugins() })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}

func buildPlugins() error {
	dir, err := os.MkdirTemp("", "handoff-plugins-")
	if err != nil {
		return err
	}
	pluginTmp = dir
	out := filepath.Join(dir, "out")
	cmd := exec.Command("go", "build", "-buildvcs=false", "-o", out+"/", "./codex", "./opencode", "./pi", "./example")
	cmd.Dir = "../plugins"
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build plugins: %v\n%s", err, b)
	}
	builtinDir = filepath.Join(dir, "builtin")
	if err := os.MkdirAll(builtinDir, 0o755); err != nil {
		return err
	}
	for _, n := range []string{"codex", "opencode", "pi"} {
		if err := os.Rename(filepath.Join(out, n), filepath.Join(builtinDir, "handoff-agent-"+n)); err != nil {
			return err
		}
	}
	exampleBin = filepath.Join(out, "example")
	return nil
}

// fixture is a git workspace with a plan, fake agent programs on PATH and
// an empty CODEXPRO_HOME.
type fixture struct {
	t    *testing.T
	root string
	bin  string
	home string
	out  bytes.Buffer
	err  bytes.Buffer
}

const testPlan = "# Plan\n\nAppend a line to work.txt.\n"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	needPlugins(t)
	f := &fixture{t: t, root: realTemp(t), bin: t.TempDir(), home: t.TempDir()}
	f.git("init", "-q")
	f.write("README.md", "demo\n")
	f.git("add", "README.md")
	f.git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "init")
	f.write(".ai-bridge/current-plan.md", testPlan)
	t.Setenv("PATH", f.bin+":"+os.Getenv("PATH"))
	// Real CLIs print like this: a banner, progress, then a summary.
	f.agent("codex", `echo "OpenAI Codex v0.0-fake"
last=""; prev=""
for a in "$@"; do [ "$prev" = "--output-last-message" ] && last="$a"; prev="$a"; done
echo "codex: edited work.txt" >> work.txt
[ -n "$last" ] && echo "Appended a line to work.txt." > "$last"
printf '# Agent Status\n\nTouched work.txt; no checks run.\n' > .ai-bridge/agent-status.md
echo "tokens used: 42"`)
	f.agent("opencode", `echo "> build · fake-model"
echo "opencode: edited work.txt" >> work.txt
echo "Done: appended a line."`)
	f.agent("pi", `echo "pi: edited work.txt" >> work.txt
echo "Appended a line to work.txt"`)
	return f
}

func realTemp(t *testing.T) string {
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (f *fixture) git(args ...string) {
	f.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = f.root
	if b, err := cmd.CombinedOutput(); err != nil {
		f.t.Fatalf("git %v: %v\n%s", args, err, b)
	}
}

func (f *fixture) write(rel, content string) {
	f.t.Helper()
	p := filepath.Join(f.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) read(rel string) string {
	f.t.Helper()
	b, err := os.ReadFile(filepath.Join(f.root, rel))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b)
}

// agent writes a fake agent program that records its argv (one argument
// per line in <bin>/<name>.argv) and then runs body in the workspace.
func (f *fixture) agent(name, body string) {
	f.script(name, fmt.Sprintf("printf '%%s\\n' \"$@\" > %q\n%s\n", filepath.Join(f.bin, name+".argv"), body))
}

// script writes an executable shell script into the fake bin dir.
func (f *fixture) script(name, body string) string {
	f.t.Helper()
	p := filepath.Join(f.bin, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// argv is what the fake agent name was last called with, or nil.
func (f *fixture) argv(name string) []string {
	b, err := os.ReadFile(filepath.Join(f.bin, name+".argv"))
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// reviewer writes a reviewer script and returns its template: the script
// gets the iteration as $1 and the plan file as $2.
func (f *fixture) reviewer(body string) string {
	return f.script("review.sh", body) + " {{iteration}} {{plan_file}}"
}

func (f *fixture) opts(agent string) Options {
	return Options{Root: f.root, Agent: agent, Yes: true, Home: f.home, BuiltinDir: builtinDir}
}

func (f *fixture) io() IO { return IO{Stdout: &f.out, Stderr: &f.err} }

func (f *fixture) loop(lo LoopOptions) LoopResult {
	f.t.Helper()
	res, err := Loop(context.Background(), lo, f.io())
	if err != nil {
		f.t.Fatalf("Loop: %v\nstderr:\n%s", err, f.err.String())
	}
	return res
}

func (f *fixture) runState() bridge.RunState {
	f.t.Helper()
	st, err := bridge.ParseRunState([]byte(f.read(".ai-bridge/handoff-run-state.json")))
	if err != nil {
		f.t.Fatal(err)
	}
	return st
}
