package gitx

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// blockedGlobs mirrors the part of the workspace blocklist these tests use.
var blockedGlobs = []string{"**/.env", "**/.env.*", "**/*.pem", "**/node_modules/**"}

func blockedForTest(rel string) bool {
	base := strings.ToLower(filepath.Base(rel))
	return base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".pem") ||
		strings.Contains("/"+rel+"/", "/node_modules/")
}

// gitT runs git for test setup with a fixed identity.
func gitT(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// newRepo commits files, then applies changes on top (uncommitted).
func newRepo(t *testing.T, committed, changed map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	gitT(t, dir, "init", "-q")
	write(t, dir, committed)
	gitT(t, dir, "add", "-A", "-f")
	gitT(t, dir, "commit", "-q", "-m", "init")
	write(t, dir, changed)
	return dir
}

var secretsRepo = struct{ committed, changed map[string]string }{
	committed: map[string]string{"app.go": "package app\n", ".env": "KEY=old\n", "secrets.pem": "old pem\n",
		"conf/.env.local": "A=1\n", "node_modules/x/index.js": "old\n", "Dir With Space/.ENV": "old\n"},
	changed: map[string]string{"app.go": "package app\n// new\n", ".env": "KEY=leaked-value\n", "secrets.pem": "leaked pem\n",
		"conf/.env.local": "A=leaked\n", "node_modules/x/index.js": "leaked\n", "Dir With Space/.ENV": "leaked\n"},
}

// Each defence alone must hide the blocked files: the pathspec exclusions
// (Blocked nil) and the output filter (Exclude nil). Plain status relies on
// the filter alone (the exclusions cost git too much there), so the
// pathspecs-only case runs status with every untracked file listed.
func TestBlockedPathsNeverShown(t *testing.T) {
	dir := newRepo(t, secretsRepo.committed, secretsRepo.changed)
	cases := map[string]Repo{
		"both":           {Dir: dir, Exclude: blockedGlobs, Blocked: blockedForTest},
		"pathspecs only": {Dir: dir, Exclude: blockedGlobs, AllUntracked: true},
		"filter only":    {Dir: dir, Blocked: blockedForTest},
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			st, err := r.Status(context.Background(), ".")
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Lines(); len(got) != 1 || got[0] != " M app.go" {
				t.Fatalf("status lines = %q, want only app.go", got)
			}
			d, err := r.Diff(context.Background(), ".", false, true)
			if err != nil {
				t.Fatal(err)
			}
			for _, leak := range []string{"leaked", ".env", "pem", "node_modules", ".ENV"} {
				if strings.Contains(d.Text, leak) || strings.Contains(st.Text(), leak) {
					t.Fatalf("%q shown:\n%s\n%s", leak, st.Text(), d.Text)
				}
			}
			if !strings.Contains(d.Text, "+// new") || d.Additions != 1 || d.Deletions != 0 || len(d.Files) != 1 {
				t.Fatalf("diff = %+v", d)
			}
		})
	}
}

// Without either defence the fixture does show the files, so the test above
// proves the defences and not a broken fixture.
func TestFixtureShowsSecretsUnfiltered(t *testing.T) {
	dir := newRepo(t, secretsRepo.committed, secretsRepo.changed)
	r := Repo{Dir: dir}
	d, err := r.Diff(context.Background(), ".", false, true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Text, "KEY=leaked-value") || len(d.Files) != 6 {
		t.Fatalf("unfiltered diff misses the fixture: %v", d.Files)
	}
}

func TestStagedDiffAndStatusFiltered(t *testing.T) {
	dir := newRepo(t, secretsRepo.committed, secretsRepo.changed)
	gitT(t, dir, "add", "-A", "-f")
	r := Repo{Dir: dir, Exclude: blockedGlobs, Blocked: blockedForTest}
	d, err := r.Diff(context.Background(), ".", true, true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Text, "leaked") || !strings.Contains(d.Text, "+// new") {
		t.Fatalf("staged diff:\n%s", d.Text)
	}
	st, _ := r.Status(context.Background(), ".")
	if got := st.Lines(); len(got) != 1 || got[0] != "M  app.go" {
		t.Fatalf("staged status = %q", got)
	}
}

// A workspace that is a subdirectory of a larger repository sees only its
// own files, with paths relative to itself.
func TestNestedWorkspaceIsolation(t *testing.T) {
	top := newRepo(t,
		map[string]string{"outside.txt": "a\n", "ws/in.txt": "a\n", "ws/sub/deep.txt": "a\n"},
		map[string]string{"outside.txt": "outside change\n", "ws/in.txt": "inside change\n", "ws/sub/deep.txt": "deep change\n", "stray.txt": "x\n"})
	gitT(t, top, "add", "outside.txt")
	gitT(t, top, "commit", "-q", "-m", "outside-only commit")
	write(t, top, map[string]string{"outside.txt": "second outside change\n"})
	r := Repo{Dir: filepath.Join(top, "ws"), Exclude: blockedGlobs, Blocked: blockedForTest}
	ctx := context.Background()

	st, err := r.Status(ctx, ".")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(st.Lines(), "|"); got != " M in.txt| M sub/deep.txt" {
		t.Fatalf("status = %q", got)
	}
	d, err := r.Diff(ctx, ".", false, true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Text, "outside") || !strings.Contains(d.Text, "diff --git a/in.txt b/in.txt") ||
		strings.Join(d.Files, ",") != "in.txt,sub/deep.txt" {
		t.Fatalf("diff files %v:\n%s", d.Files, d.Text)
	}
	st, _ = r.Status(ctx, "sub")
	if got := strings.Join(st.Lines(), "|"); got != " M sub/deep.txt" {
		t.Fatalf("path-scoped status = %q", got)
	}
	log, err := r.Log(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log, "outside-only commit") || !strings.Contains(log, "init") {
		t.Fatalf("log = %q", log)
	}
	// Pathspec magic in a path argument is taken literally, so ":(top)"
	// cannot widen the scope to the whole repository.
	for _, magic := range []string{":(top)", ":/", ":(top,glob)**", "*"} {
		st, err := r.Status(ctx, magic)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Entries) != 0 {
			t.Fatalf("path %q widened scope: %v", magic, st.Lines())
		}
	}
}

func TestOptionLikePathsRefused(t *testing.T) {
	dir := newRepo(t, map[string]string{"a.txt": "a\n"}, map[string]string{"a.txt": "b\n"})
	out := filepath.Join(t.TempDir(), "x")
	r := Repo{Dir: dir}
	for _, p := range []string{"--output=" + out, "-p", "../x", "/etc"} {
		_, err := r.Diff(context.Background(), p, false, true)
		var pe *PathError
		if !errors.As(err, &pe) {
			t.Fatalf("diff path %q: err = %v, want PathError", p, err)
		}
		if _, err := r.Status(context.Background(), p); !errors.As(err, &pe) {
			t.Fatalf("status path %q: err = %v, want PathError", p, err)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("git wrote the --output file")
	}
}

func TestHugeDiffTruncatedWithMarker(t *testing.T) {
	var old, nu strings.Builder
	for i := range 5000 {
		old.WriteString("old line " + strings.Repeat("x", 20) + "\n")
		nu.WriteString("new line " + string(rune('a'+i%26)) + "\n")
	}
	dir := newRepo(t, map[string]string{"big.txt": old.String(), "z.pem": "k\n"}, map[string]string{"big.txt": nu.String(), "z.pem": "leak\n"})
	r := Repo{Dir: dir, MaxOutput: 4000, Blocked: blockedForTest}
	d, err := r.Diff(context.Background(), ".", false, true)
	if err != nil {
		t.Fatalf("huge diff failed instead of truncating: %v", err)
	}
	if !d.Truncated || !strings.HasSuffix(d.Text, TruncationMarker+"\n") || len(d.Text) > 4000+len(TruncationMarker)+1 {
		t.Fatalf("truncated=%v len=%d tail=%q", d.Truncated, len(d.Text), d.Text[max(0, len(d.Text)-120):])
	}
	if d.Additions != 5000 || d.Deletions != 5000 {
		t.Fatalf("counts +%d -%d, want exact 5000/5000 despite truncation", d.Additions, d.Deletions)
	}
}

func TestNotARepository(t *testing.T) {
	r := Repo{Dir: t.TempDir()}
	_, err := r.Status(context.Background(), ".")
	if !NotRepository(err) {
		t.Fatalf("err = %v, want not a git repository", err)
	}
	_, err = r.Diff(context.Background(), ".", false, true)
	var re *RunError
	if !errors.As(err, &re) || !strings.Contains(re.Msg, "not a git repository") {
		t.Fatalf("diff err = %v", err)
	}
}

func TestGitFailuresAreRunErrors(t *testing.T) {
	dir := t.TempDir()
	slow := filepath.Join(dir, "slowgit")
	if err := os.WriteFile(slow, []byte("#!/bin/sh\nexec sleep 30\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		r    Repo
		want string
	}{
		"missing binary": {Repo{Dir: dir, Git: filepath.Join(dir, "nope")}, "git unavailable"},
		"timeout":        {Repo{Dir: dir, Git: slow, Timeout: 50e6}, "timed out"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.r.Status(context.Background(), ".")
			var re *RunError
			if !errors.As(err, &re) || !strings.Contains(re.Msg, c.want) {
				t.Fatalf("err = %v, want RunError with %q", err, c.want)
			}
		})
	}
}

// GIT_DIR, GIT_WORK_TREE and GIT_CONFIG_* in mcpd's environment must not
// redirect git to another repository or inject configuration.
func TestParentGitEnvironmentIgnored(t *testing.T) {
	ws := newRepo(t, map[string]string{"a.txt": "a\n"}, map[string]string{"a.txt": "b\n"})
	other := newRepo(t, map[string]string{"other.txt": "a\n"}, map[string]string{"other.txt": "b\n"})
	t.Setenv("GIT_DIR", filepath.Join(other, ".git"))
	t.Setenv("GIT_WORK_TREE", other)
	t.Setenv("GIT_CONFIG_COUNT", "1")
	t.Setenv("GIT_CONFIG_KEY_0", "core.pager")
	t.Setenv("GIT_CONFIG_VALUE_0", "touch /tmp/codexpro-pwned")
	for _, kv := range Env() {
		if strings.HasPrefix(kv, "GIT_DIR=") || strings.HasPrefix(kv, "GIT_WORK_TREE=") || strings.HasPrefix(kv, "GIT_CONFIG_") {
			t.Fatalf("Env passes %s", kv)
		}
	}
	st, err := (&Repo{Dir: ws}).Status(context.Background(), ".")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(st.Lines(), "|"); got != " M a.txt" {
		t.Fatalf("status = %q, want the workspace's repository", got)
	}
}
