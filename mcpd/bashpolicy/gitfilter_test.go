package bashpolicy

import (
	"context"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codexpro.dev/pkg/gitx"
	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/workspace"
)

// Markers planted in files safe-mode git must never print: each is unique
// so a hit names the file it came from.
var hostileMarkers = map[string]string{
	"ws/.aws/credentials":      "MARK_AWS_9f1c",
	"ws/.gnupg/secring.gpg":    "MARK_GNUPG_4b2e",
	"ws/.env":                  "MARK_DOTENV_77aa",
	"ws/sub/x.secret":          "MARK_USERGLOB_c3d0",
	"ws/deep/er/y.secret":      "MARK_USERGLOB_DEEP_5e6f",
	"ws/keys/id_rsa":           "MARK_IDRSA_0d9b",
	"outside.txt":              "MARK_OUTSIDE_81e4",
	"other/notes.md":           "MARK_OUTSIDE_DIR_2a7c",
	"ws/sub dir/.aws/conf ig":  "MARK_SPACED_AWS_6b3d",
	"ws/\"q\\uote\".secret":    "MARK_QUOTED_1f5a",
	"ws/tab\tname/.env.prod":   "MARK_TABENV_9c8e",
	"ws/commit 1234567.secret": "MARK_COMMITNAME_44d1",
}

// hostileNames are names of hidden files that must not be listed either.
var hostileNames = []string{"credentials", "secring", "x.secret", "y.secret", "id_rsa", "outside.txt",
	"notes.md", "conf ig", ".env.prod", "commit 1234567"}

// driverMarker is what the repository's textconv and filter drivers
// print or write; safe-mode git must never run them.
const driverMarker = "MARK_DRIVER_RAN_e0e0"

// hostileRepo builds a repository whose top holds files outside the
// workspace (ws/), with secrets in history (committed, changed, deleted),
// under blocked directories and user-blocked globs at any depth, a textconv
// and a clean/smudge driver in .git/config, and uncommitted changes to
// blocked files. It returns a policy over ws/ and the gitx.Repo that
// filters for it.
func hostileRepo(t testing.TB) (Policy, *gitx.Repo, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	top := t.TempDir()
	real, err := filepath.EvalSymlinks(top)
	if err != nil {
		t.Fatal(err)
	}
	top = real
	ran := filepath.Join(top, "..", filepath.Base(top)+"-driver-ran")
	write := func(rel, body string) {
		p := filepath.Join(top, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		base := []string{"-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"}
		c := exec.Command("git", append(base, args...)...)
		c.Dir = top
		c.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	write("ws/main.go", "package main\n\nfunc main() {}\n")
	write("ws/docs/readme.txt", "visible docs line\n")
	write("ws/.gitattributes", "* diff=evil filter=evil\n")
	for rel, m := range hostileMarkers {
		write(rel, "first "+m+"\nSECRET_VALUE="+m+"\n")
	}
	git("add", "-A")
	git("commit", "-qm", "initial import")
	for rel, m := range hostileMarkers {
		write(rel, "second "+m+"\nROTATED="+m+"\n")
	}
	write("ws/main.go", "package main\n\n// changed\nfunc main() {}\n")
	git("add", "-A")
	git("commit", "-qm", "rotate values")
	git("rm", "-q", "--cached", "ws/.env")
	git("commit", "-qm", "stop tracking the env file")
	git("checkout", "-q", "-b", "side")
	write("ws/docs/readme.txt", "visible docs line\nside change\n")
	write("ws/.aws/credentials", "side "+hostileMarkers["ws/.aws/credentials"]+"\n")
	git("commit", "-qam", "side branch")
	git("checkout", "-q", "main")
	write("ws/main.go", "package main\n\n// main change\nfunc main() {}\n")
	git("commit", "-qam", "main branch")
	git("merge", "-q", "--no-ff", "-m", "merge side", "side")
	// Uncommitted changes: unstaged and staged, to hidden and shown files.
	for rel, m := range hostileMarkers {
		write(rel, "worktree "+m+"\n")
	}
	write("ws/main.go", "package main\n\n// worktree change\nfunc main() {}\n")
	git("add", "ws/sub/x.secret", "ws/main.go")
	write("ws/new.txt", "untracked visible\n")

	// Drivers planted in the repository's own config: a textconv that
	// prints the marker and filters that record that they ran.
	drv := "sh -c 'echo " + driverMarker + "; echo ran >> \"" + ran + "\"; cat'"
	git("config", "diff.evil.textconv", "sh -c 'echo "+driverMarker+"; echo ran >> \""+ran+"\"; cat \"$1\"' --")
	git("config", "filter.evil.clean", drv)
	git("config", "filter.evil.smudge", drv)
	git("config", "filter.evil.required", "true")
	for _, k := range []string{"color.ui", "color.status", "status.color", "color.diff", "diff.color", "color.branch"} {
		git("config", k, "always")
	}
	git("config", "diff.submodule", "log")
	git("config", "core.fsmonitor", "sh -c 'echo ran >> \""+ran+"\"'")
	p := policyFor(t, filepath.Join(top, "ws"), "*.secret")
	ws := p.Paths.(*workspace.Workspace)
	repo := &gitx.Repo{Dir: ws.Root, Blocked: func(rel string) bool {
		_, b := ws.Blocked(rel)
		return b
	}}
	return p, repo, ran
}

// safeGit decides cmd and runs each step as mcpd does, returning all
// stdout and stderr that would leave mcpd (before redaction).
func safeGit(t testing.TB, p Policy, repo *gitx.Repo, cmd, cwd string) (string, error) {
	t.Helper()
	d, err := p.Decide(cmd, cwd)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	for i, argv := range d.Steps {
		if d.Git[i] == nil {
			t.Fatalf("%s: step %v has no git output filter", cmd, argv)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		spec := procx.Spec{Argv: argv, Dir: filepath.Join(p.Root, filepath.FromSlash(cwd)), Timeout: 15 * time.Second,
			MaxOutput: 1 << 20, Env: procx.Env(false, "HOME="+os.TempDir(), "GIT_CONFIG_GLOBAL="+os.DevNull)}
		res, err := repo.SafeRun(ctx, spec, *d.Git[i])
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		out.WriteString(res.Stdout)
		out.WriteString(res.Stderr)
	}
	return out.String(), nil
}

// leaked names the first planted marker or hidden name in out.
func leaked(out string) string {
	for rel, m := range hostileMarkers {
		if strings.Contains(out, m) {
			return "content of " + rel
		}
	}
	if strings.Contains(out, driverMarker) {
		return "a driver's output"
	}
	for _, n := range hostileNames {
		if strings.Contains(out, n) {
			return "the hidden name " + n
		}
	}
	return ""
}

// hostileCommands widen the output every way the issue found, and more.
var hostileCommands = []string{
	"git log -p --full-diff", "git log -p --full-diff --stat", "git show --full-diff HEAD", "git log -p",
	"git log --stat --full-diff", "git log --name-only --full-diff", "git log --name-status --full-diff",
	"git log --numstat --full-diff", "git log --raw --full-diff", "git log --summary --full-diff",
	"git log --dirstat --full-diff", "git log --oneline --stat --full-diff", "git log --oneline -p --full-diff",
	"git log -p --all --full-diff", "git log -m -p --full-diff", "git log --cc --full-diff", "git log -c --full-diff",
	"git show", "git show HEAD~1", "git show HEAD~2", "git show HEAD:", "git show HEAD~3:", "git show HEAD:sub",
	"git show HEAD~2:.", "git show --stat HEAD", "git show --name-only HEAD~2", "git show -m HEAD", "git show --cc HEAD",
	"git diff", "git diff --cached", "git diff HEAD", "git diff HEAD~3 HEAD", "git diff --stat HEAD~3",
	"git diff --name-only HEAD~3", "git diff --name-status HEAD~3", "git diff --raw HEAD~3", "git diff --numstat HEAD~3",
	"git diff -a HEAD~3", "git diff -R HEAD~3", "git diff -W HEAD~3", "git diff --relative HEAD~3", "git diff --summary HEAD~3",
	"git status", "git status -s", "git status --porcelain", "git status -sb -uall", "git status --ignored",
	"git status --long -uall", "git ls-files", "git ls-files -s", "git ls-files -o", "git ls-files -t -c -o",
	"git ls-files --full-name", "git ls-files --eol", "git ls-files --others --ignored --exclude-standard",
	"git blame main.go", "git blame docs/readme.txt", "git log --oneline", "git log --format=%H%n%B",
	"git branch -a -v", "git rev-parse HEAD", "git log -L 1,2:main.go",
}

// TestSafeGitFilterHidesHostileRepository runs every widening option the
// issue found, against a repository built to leak, and asserts that no
// content or name of a blocked or outside file, and nothing a driver
// printed, reaches the output; and that the drivers never ran.
func TestSafeGitFilterHidesHostileRepository(t *testing.T) {
	p, repo, ran := hostileRepo(t)
	for _, cmd := range hostileCommands {
		out, err := safeGit(t, p, repo, cmd, ".")
		if err != nil {
			t.Errorf("%s refused: %v", cmd, err)
			continue
		}
		if what := leaked(out); what != "" {
			t.Errorf("%s printed %s:\n%s", cmd, what, out)
		}
	}
	if _, err := os.Stat(ran); err == nil {
		t.Fatalf("a driver from the repository's config ran (%s exists)", ran)
	}
}

// TestSafeGitFilterKeepsVisibleContent: the filter is not a blanket
// refusal; visible files' diffs, names and messages come through.
func TestSafeGitFilterKeepsVisibleContent(t *testing.T) {
	p, repo, _ := hostileRepo(t)
	cases := map[string][]string{
		"git log -p --full-diff":            {"rotate values", "+// changed", "diff --git a/ws/main.go b/ws/main.go"},
		"git log --stat":                    {"ws/main.go", "files changed"},
		"git log --name-only --oneline":     {"ws/main.go", "rotate values"},
		"git show HEAD:":                    {"main.go", "docs/"},
		"git show HEAD:main.go":             {"package main"},
		"git status":                        {"main.go", "new.txt"},
		"git status --porcelain":            {"M  ws/main.go", "?? ws/new.txt"},
		"git ls-files -s":                   {"main.go", "docs/readme.txt"},
		"git blame main.go":                 {"worktree change"},
		"git diff HEAD~3 --stat --relative": {"main.go"},
		"git show --cc HEAD":                {"merge side"},
	}
	for cmd, wants := range cases {
		out, err := safeGit(t, p, repo, cmd, ".")
		if err != nil {
			t.Errorf("%s refused: %v", cmd, err)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", cmd, w, out)
			}
		}
	}
}

// TestSafeGitRefusesUnfilterableOptions: options whose output the filter
// cannot read file by file are refused, naming the option.
func TestSafeGitRefusesUnfilterableOptions(t *testing.T) {
	p := newPolicy(t)
	for cmd, opt := range map[string]string{
		"git log --graph":                "--graph",
		"git log -p --word-diff":         "--word-diff",
		"git log -S secret":              "-S",
		"git log -G sec":                 "-G",
		"git log --format=%s --stat":     "--format=%s",
		"git log --format=%G?":           "%G",
		"git show --format=%B HEAD":      "--format=%B",
		"git diff --line-prefix=x":       "--line-prefix=x",
		"git diff --src-prefix=x/":       "--src-prefix=x/",
		"git diff --no-prefix":           "--no-prefix",
		"git diff --color":               "--color",
		"git diff --binary":              "--binary",
		"git blame -C main.go":           "-C",
		"git blame --contents x main.go": "--contents",
		"git status -v":                  "-v",
		"git status -z":                  "-z",
		"git ls-files -z":                "-z",
		"git ls-files --format=%(path)":  "--format",
		"git log --follow -p main.go":    "--follow",
		"git diff -M":                    "-M",
		"git log --show-signature":       "gpg",
		"git diff HEAD:main.go":          "not REV:path",
		"git rev-parse --show-toplevel":  "--show-toplevel",
		"git diff --textconv":            "external diff",
	} {
		_, err := p.Decide(cmd, ".")
		if err == nil || !strings.Contains(err.Error(), opt) {
			t.Errorf("%s: want a refusal naming %q, got %v", cmd, opt, err)
		}
	}
}

// TestSafeGitNestedRootSubdirCwd runs from a subdirectory of a nested root:
// cwd-relative and top-relative layouts are both mapped to the workspace.
func TestSafeGitNestedRootSubdirCwd(t *testing.T) {
	p, repo, _ := hostileRepo(t)
	for _, cmd := range []string{"git status", "git status -s", "git ls-files", "git ls-files --full-name",
		"git log -p --full-diff", "git show HEAD:", "git show HEAD:../", "git diff --relative HEAD~3", "git status --porcelain"} {
		out, err := safeGit(t, p, repo, cmd, "docs")
		if err != nil {
			t.Errorf("%s refused: %v", cmd, err)
			continue
		}
		if what := leaked(out); what != "" {
			t.Errorf("%s (cwd docs) printed %s:\n%s", cmd, what, out)
		}
	}
	out, _ := safeGit(t, p, repo, "git show HEAD:../", "docs")
	if !strings.Contains(out, "main.go") || path.Base("x") != "x" {
		t.Errorf("git show HEAD:../ from docs does not list the workspace: %s", out)
	}
}

// TestSafeGitRefusesForeignWorkTree: core.worktree in the repository's own
// config points git at another directory; safe mode does not run git
// there, so none of that directory's names can pass for the workspace's.
func TestSafeGitRefusesForeignWorkTree(t *testing.T) {
	p, repo, _ := hostileRepo(t)
	elsewhere := t.TempDir()
	if err := os.WriteFile(filepath.Join(elsewhere, "foreign-worktree-file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := exec.Command("git", "config", "core.worktree", elsewhere)
	c.Dir = p.Root
	c.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, cmd := range []string{"git status", "git ls-files -o", "git diff"} {
		out, err := safeGit(t, p, repo, cmd, ".")
		if err != nil || strings.Contains(out, "foreign-worktree-file") || !strings.Contains(out, "core.worktree") {
			t.Errorf("%s with core.worktree elsewhere: err %v, output:\n%s", cmd, err, out)
		}
	}
}
