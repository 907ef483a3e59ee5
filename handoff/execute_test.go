package handoff

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"codexpro.dev/pkg/procx"
)

// treeHash hashes every path, mode and content under root, .git included.
func treeHash(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		io.WriteString(h, p+"\x00"+fi.Mode().String()+"\x00")
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDryRunPrintsExactCommandsAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	before := treeHash(t, f.root)
	o := f.opts("codex")
	o.DryRun, o.Yes, o.Model = true, false, "gpt-5 mini"
	if code, err := Execute(t.Context(), o, f.io()); err != nil || code != 0 {
		t.Fatalf("execute dry run = %d, %v", code, err)
	}
	want := `codex exec --ephemeral --sandbox workspace-write -c 'approval_policy="never"' --output-last-message ` + f.root +
		`/.ai-bridge/codex-last-message.md --model 'gpt-5 mini' 'Read the handoff plan at .ai-bridge/current-plan.md and execute it in this workspace. Keep changes scoped to that plan. Do not modify .ai-bridge/current-plan.md. When finished, summarize changed files and verification.'`
	if !strings.Contains(f.out.String(), "Command:   "+want+"\n") {
		t.Errorf("execute dry run output lacks the exact command %s:\n%s", want, f.out.String())
	}
	f.out.Reset()
	lo := LoopOptions{Options: f.opts("pi"), Reviewer: f.reviewer("echo CODEXPRO_REVIEW=PASS"), Tests: "go test ./... -run 'A B'", MaxIters: 4}
	lo.DryRun, lo.Yes = true, false
	res, err := Loop(t.Context(), lo, f.io())
	if err != nil || res.StopReason != "dry_run" {
		t.Fatalf("loop dry run = %+v, %v", res, err)
	}
	for _, want := range []string{
		"Executor:  pi -p 'Read the handoff plan at .ai-bridge/current-plan.md and execute it in this workspace.'\n",
		"Tests:     go test ./... -run 'A B'\n",
		"Reviewer:  " + f.bin + "/review.sh 1 " + f.root + "/.ai-bridge/current-plan.md\n",
		"Max iters: 4\n",
		"No command was executed",
	} {
		if !strings.Contains(f.out.String(), want) {
			t.Errorf("loop dry run lacks %q:\n%s", want, f.out.String())
		}
	}
	if after := treeHash(t, f.root); after != before {
		t.Fatal("a dry run changed the workspace")
	}
	for _, a := range []string{"codex", "pi", "review.sh"} {
		if f.argv(a) != nil {
			t.Errorf("%s ran during a dry run", a)
		}
	}
}

func TestCustomCommandSubstitutesPerArgument(t *testing.T) {
	f := newFixture(t)
	evil := "# Plan\n\n$(touch pwned) `touch pwned2`; touch pwned3 'quote\" \n"
	f.write(".ai-bridge/current-plan.md", evil)
	f.agent("myagent", `echo ran`)
	o := f.opts("")
	o.Command = `myagent --prompt {{plan_text}} --file "{{plan_file}}" --model={{model}} --unknown={{nope}} ""`
	o.Model = "m; touch pwned4"
	code, err := Execute(t.Context(), o, f.io())
	if err != nil || code != 0 {
		t.Fatalf("execute = %d, %v\n%s", code, err, f.err.String())
	}
	want := []string{"--prompt", evil, "--file", f.root + "/.ai-bridge/current-plan.md", "--model=m; touch pwned4", "--unknown=", ""}
	got := f.argv("myagent")
	// The fake records one argument per line; rebuild the multi-line plan.
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("argv\n got %q\nwant %q", got, want)
	}
	for _, p := range []string{"pwned", "pwned2", "pwned3", "pwned4"} {
		if _, err := os.Stat(filepath.Join(f.root, p)); err == nil {
			t.Errorf("%s exists: the template went through a shell", p)
		}
	}
	if st := f.runState(); st.Executor != "custom" || st.State != "completed" {
		t.Errorf("run state = %+v", st)
	}
	o.Command = "myagent --no-plan"
	if _, err := Execute(t.Context(), o, f.io()); err == nil || !strings.Contains(err.Error(), "{{plan_file}} or {{plan_text}}") {
		t.Errorf("template without plan placeholder err = %v", err)
	}
}

// alive treats a zombie as dead; it only waits to be reaped by its new parent.
func alive(pid int) bool { return procx.Alive(pid) }

func killPID(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

func TestTimedOutAgentTreeIsKilled(t *testing.T) {
	f := newFixture(t)
	pids := filepath.Join(f.bin, "pids")
	f.agent("opencode", `sh -c 'sleep 300 & echo $! >> `+pids+`; sleep 300' &
echo $! >> `+pids+`
sleep 300`)
	o := f.opts("opencode")
	o.Timeout = time.Second
	code, err := Execute(t.Context(), o, f.io())
	if err != nil || code != 1 {
		t.Fatalf("execute = %d, %v", code, err)
	}
	st := f.runState()
	if st.State != "timed_out" || !st.TimedOut || st.ExitCode != nil {
		t.Errorf("run state = %+v", st)
	}
	if s := f.read(".ai-bridge/handoff-status.md"); !strings.Contains(s, "Timed out: yes") || !strings.Contains(s, "process tree was killed") {
		t.Errorf("status:\n%s", s)
	}
	b, err := os.ReadFile(pids)
	if err != nil {
		t.Fatal(err)
	}
	list := strings.Fields(string(b))
	if len(list) != 2 {
		t.Fatalf("want 2 descendant pids, got %q", list)
	}
	for _, p := range list {
		pid, _ := strconv.Atoi(p)
		if alive(pid) {
			killPID(pid)
			t.Errorf("descendant %d survived the timeout", pid)
		}
	}
}

func TestExecuteMissingPlanAndSymlinkedContext(t *testing.T) {
	f := newFixture(t)
	os.Remove(filepath.Join(f.root, ".ai-bridge/current-plan.md"))
	if _, err := Execute(t.Context(), f.opts("pi"), f.io()); err == nil || !strings.Contains(err.Error(), "no handoff plan found at .ai-bridge/current-plan.md") {
		t.Errorf("missing plan err = %v", err)
	}
	f.write(".ai-bridge/current-plan.md", "# Current Plan\n\nNo plan written yet.\n")
	if _, err := Execute(t.Context(), f.opts("pi"), f.io()); err == nil || !strings.Contains(err.Error(), "empty scaffold") {
		t.Errorf("scaffold plan err = %v", err)
	}
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "current-plan.md"), []byte(testPlan), 0o644)
	os.RemoveAll(filepath.Join(f.root, ".ai-bridge"))
	if err := os.Symlink(outside, filepath.Join(f.root, ".ai-bridge")); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(t.Context(), f.opts("pi"), f.io()); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Errorf("symlinked context dir err = %v", err)
	}
	if f.argv("pi") != nil {
		t.Error("the agent ran on a plan behind a symlink")
	}
}

func TestExecuteRefusesPlantedStatusSymlink(t *testing.T) {
	f := newFixture(t)
	target := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(target, []byte("keep"), 0o644)
	if err := os.Symlink(target, filepath.Join(f.root, ".ai-bridge/handoff-status.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(t.Context(), f.opts("pi"), f.io()); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Errorf("err = %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("write went through the symlink: %q", b)
	}
}

func TestRecordsHideBlockedFilesAndSecrets(t *testing.T) {
	f := newFixture(t)
	f.write(".env", "A=1\n")
	f.write("secrets/db.txt", "x\n")
	f.git("add", "-f", ".env", "secrets/db.txt")
	f.git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "tracked secrets")
	f.agent("opencode", `echo "OPENAI_API_KEY=sk-realSecretValue1234567890abcd" >> .env
echo "password changed" >> secrets/db.txt
echo "visible change" >> work.txt
echo "using OPENAI_API_KEY=sk-realSecretValue1234567890abcd"`)
	o := f.opts("opencode")
	o.BlockedGlobs = []string{"secrets/**"}
	if code, err := Execute(t.Context(), o, f.io()); err != nil || code != 0 {
		t.Fatalf("execute = %d, %v", code, err)
	}
	diff := f.read(".ai-bridge/implementation-diff.patch")
	if !strings.Contains(diff, "work.txt") || strings.Contains(diff, ".env") || strings.Contains(diff, "secrets/") {
		t.Errorf("implementation diff must show work.txt only:\n%s", diff)
	}
	for _, name := range []string{"handoff-status.md", "execution-log.jsonl", "implementation-diff.patch"} {
		if body := f.read(".ai-bridge/" + name); strings.Contains(body, "sk-realSecretValue") {
			t.Errorf("%s leaks the secret:\n%s", name, body)
		}
	}
	if status := f.read(".ai-bridge/handoff-status.md"); strings.Contains(status, ".env") || strings.Contains(status, "secrets/") {
		t.Errorf("git status excerpt names a blocked path:\n%s", status)
	}
}

func TestExecuteOutsideGitRecordsWhyThereIsNoDiff(t *testing.T) {
	f := newFixture(t)
	os.RemoveAll(filepath.Join(f.root, ".git"))
	if code, err := Execute(t.Context(), f.opts("pi"), f.io()); err != nil || code != 0 {
		t.Fatalf("execute = %d, %v\n%s", code, err, f.err.String())
	}
	if diff := f.read(".ai-bridge/implementation-diff.patch"); !strings.HasPrefix(diff, "# git changes unavailable") {
		t.Errorf("diff = %q", diff)
	}
	lo := LoopOptions{Options: f.opts("pi"), Reviewer: f.reviewer("echo CODEXPRO_REVIEW=PASS"), StopIfSameDiff: true}
	if _, err := Loop(t.Context(), lo, f.io()); err == nil || !strings.Contains(err.Error(), "need a git work tree") {
		t.Errorf("loop with diff checks outside git err = %v", err)
	}
	if st := f.runState(); st.State != "failed" || st.Phase != "done" {
		t.Errorf("aborted loop left run state %+v", st)
	}
}
