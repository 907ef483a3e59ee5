package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Values planted in the hostile repository. Each is unique, registered with
// the run log (so the leak scan at the end looks for it in every answer,
// log and file mcpd wrote) and checked in every answer of the test.
const (
	hostileAWS       = "AWSHOSTILEe2eSecretAccessKeyValue0123abcd"
	hostileGnupg     = "GNUPG_HOSTILE_e2e_77c1"
	hostileUserGlob  = "USERGLOB_HOSTILE_e2e_55d2"
	hostileHistEnv   = "HISTORY_ENV_HOSTILE_e2e_31e3"
	hostileTextconv  = "TEXTCONV_HOSTILE_e2e_99f4"
	hostileOutside   = "OUTSIDE_HOSTILE_e2e_81a5"
	hostileOutName   = "outside-zq1-name" // a file name outside the nested root
	hostileOutDir    = "outside-dir-zq2"  // a directory name outside the nested root
	hostileNextLine  = "NextLineValueHostileE2eZx9q8w7e6r5t4y3u2"
	hostileKeyBody1  = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwHoStIlEa1"
	hostileKeyBody2  = "AAAAC3NzaC1lZDI1NTE5AAAAIHoStIlEb2LiNeTwOvAlUeXyZ0123456789abcdefAB"
	hostileWriteKey1 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5"
	hostileWriteKey2 = "MDEyMzQ1Njc4OUFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaYWJjZGVmZ2hpamtsbW5v"
	hostileTokenHead = "ghp_" + "HoStIlEe2eAssembled01"
	hostileTokenTail = "23456789abcdefg"
)

const (
	keyBegin = "-----BEGIN OPENSSH PRIVATE KEY-----"
	keyEnd   = "-----END OPENSSH PRIVATE KEY-----"
)

// hostileSecrets maps each value that must never leave mcpd to what it is.
func hostileSecrets() map[string]string {
	return map[string]string{
		"the AWS key under .aws/":                                 hostileAWS,
		"the file under .gnupg/":                                  hostileGnupg,
		"the file matched by CODEXPRO_BLOCKED_GLOBS at depth":     hostileUserGlob,
		"the .env that lives only in history":                     hostileHistEnv,
		"the textconv driver's output":                            hostileTextconv,
		"the file outside the nested root":                        hostileOutside,
		"the name of a file outside the nested root":              hostileOutName,
		"the name of a directory outside the nested root":         hostileOutDir,
		"the value on the line after api_key:":                    hostileNextLine,
		"the first body line of the committed private key":        hostileKeyBody1,
		"the second body line of the committed private key":       hostileKeyBody2,
		"a key body line written by edit/apply_patch":             hostileWriteKey1,
		"a second key body line written by edit/apply_patch":      hostileWriteKey2,
		"the GitHub token assembled by write then edit (class 3)": hostileTokenHead + hostileTokenTail,
	}
}

// hostileRepo is a repository of the kind a model can be steered into: the
// workspace (Root) is nested inside a larger repository (Top) whose other
// files are out of bounds; history holds secrets; blocked directories and a
// user-blocked glob hold more; .git/config names a textconv driver; a
// private key's body is split across lines; api_key's value sits on the
// next line; and the context directory .ai-bridge is a symlink to src.
type hostileRepo struct {
	Top, Root string
	ran       string // a textconv or filter driver writes here if it runs
}

// newHostileRepo builds the repository. Nested, the workspace is ws/ inside
// it and the outside files are committed beside ws/; otherwise the
// repository is ws/ itself and the outside files lie beside it, reachable
// only through the toplink symlink.
func newHostileRepo(t *testing.T, nested bool) hostileRepo {
	t.Helper()
	top, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := hostileRepo{Top: top, Root: filepath.Join(top, "ws"), ran: filepath.Join(filepath.Dir(top), filepath.Base(top)+"-driver-ran")}
	repo, envPath := top, "ws/.env"
	if !nested {
		repo, envPath = h.Root, ".env"
	}
	first := map[string]string{
		hostileOutName + ".txt":     hostileOutside + "\n",
		hostileOutDir + "/notes.md": "outside notes " + hostileOutside + "\n",
		"ws/src/app.go":             "package app\n\nfunc Hello() string { return \"hi\" }\n",
		"ws/.aws/credentials":       "[default]\naws_secret_access_key = " + hostileAWS + "\n",
		"ws/.gnupg/secring.txt":     hostileGnupg + "\n",
		"ws/sub/deep/x.secret":      hostileUserGlob + "\n",
		"ws/.env":                   "OPENAI_API_KEY=" + hostileHistEnv + "\n",
		"ws/config/deploy.txt":      "deploy key:\n" + keyBegin + "\n" + hostileKeyBody1 + "\n" + hostileKeyBody2 + "\n" + keyEnd + "\n",
		"ws/config/app.yaml":        "service: demo\napi_key:\n  " + hostileNextLine + "\nport: 8080\n",
		"ws/.gitattributes":         "* diff=evil\n",
		"ws/docs/readme.md":         "# hostile fixture\n",
		"ws/config/skeleton.txt":    keyBegin + "\n" + keyEnd + "\n",
	}
	if err := writeFiles(top, first); err != nil {
		t.Fatal(err)
	}
	steps := [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "import"}}
	for _, args := range steps {
		if err := git(repo, args...); err != nil {
			t.Fatal(err)
		}
	}
	second := map[string]string{
		hostileOutName + ".txt":     "rotated " + hostileOutside + "\n",
		hostileOutDir + "/notes.md": "rotated notes " + hostileOutside + "\n",
		"ws/.aws/credentials":       "[default]\naws_secret_access_key = " + hostileAWS + "\nregion = x\n",
		"ws/sub/deep/x.secret":      hostileUserGlob + "\nrotated\n",
		"ws/src/app.go":             "package app\n\n// Hello greets.\nfunc Hello() string { return \"hi\" }\n",
	}
	if err := writeFiles(top, second); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"rm", "-q", envPath}, {"add", "-A"}, {"commit", "-q", "-m", "rotate and drop the env file"}} {
		if err := git(repo, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Uncommitted changes to hidden files, and the planted drivers.
	if err := writeFiles(top, map[string]string{"ws/.aws/credentials": "changed " + hostileAWS + "\n",
		hostileOutName + ".txt": "changed " + hostileOutside + "\n"}); err != nil {
		t.Fatal(err)
	}
	driver := "sh -c 'echo " + hostileTextconv + "; echo ran >> \"" + h.ran + "\"; cat \"$1\"' --"
	for _, kv := range [][2]string{{"diff.evil.textconv", driver}, {"core.fsmonitor", "sh -c 'echo ran >> \"" + h.ran + "\"'"},
		{"color.status", "always"}, {"status.color", "always"}, {"color.diff", "always"}} {
		if err := git(repo, "config", kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	// Files a tool wrote where the context-dir link points count as output
	// for the run-wide leak scan.
	t.Cleanup(func() {
		if suite != nil {
			suite.log.addFiles("hostile repository src/ (the context dir link's target):", filepath.Join(h.Root, "src"))
		}
	})
	if err := os.Symlink(top, filepath.Join(h.Root, "toplink")); err != nil {
		t.Fatal(err)
	}
	return h
}

// hostileGitCommands are every allowed safe-mode git subcommand, with the
// options that widened output past the old pathspec guard, plus globs
// through a link out of the root and into blocked directories.
var hostileGitCommands = []string{
	"git log -p --full-diff", "git log -p --all --full-diff --stat", "git show --full-diff HEAD", "git show HEAD~1",
	"git log --name-only --full-diff", "git log --name-status --full-diff", "git log --stat --full-diff",
	"git log --raw --numstat --full-diff", "git log --oneline --summary --full-diff", "git log -p",
	"git show HEAD:", "git show HEAD~1:", "git show HEAD:config", "git show HEAD~1:config/app.yaml",
	"git diff", "git diff HEAD~1 HEAD", "git diff --stat HEAD~1", "git diff --name-only HEAD~1", "git diff --cached",
	"git status", "git status -s", "git status --porcelain --ignored", "git status -uall",
	"git ls-files", "git ls-files -o", "git ls-files -s --eol", "git ls-files --full-name",
	"git blame config/app.yaml", "git blame config/deploy.txt", "git blame src/app.go",
	"git log --oneline --all", "git branch -a -v", "git rev-parse HEAD", "git rev-parse --show-prefix",
	"git log -L 1,3:src/app.go --full-diff",
	"ls toplink/*", "ls toplink/o*", "ls .git/*", "ls .aws/*", "ls .gnupg/*", "ls sub/deep/*",
}

// TestHostileRepository drives a hostile repository through a real MCP
// client over both transports, with the sandbox on and off: every allowed
// safe-mode git subcommand with widening options, line-range reads,
// searches, diffs, the write sequences that assemble a secret across calls,
// and the symlinked context directory. No planted value and no name
// outside the root may appear in any answer (and, through the run log, in
// any log or status file), no driver may run, and the server must still
// serve at the end.
func TestHostileRepository(t *testing.T) {
	s := needSuite(t)
	for what, v := range hostileSecrets() {
		s.log.secret("hostile repository: "+what, v)
	}
	for _, sb := range []string{"landlock", "off"} {
		for _, transport := range []string{"stdio", "http"} {
			for _, nested := range []bool{true, false} {
				name := sb + "/" + transport + "/top-level"
				if nested {
					name = sb + "/" + transport + "/nested"
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					h := newHostileRepo(t, nested)
					tg := h.target(t, s, transport, "--sandbox", sb)
					h.run(t, tg, sb, nested)
				})
			}
		}
	}
}

func (h hostileRepo) target(t *testing.T, s *suiteState, transport string, extra ...string) target {
	t.Helper()
	env := []string{"CODEXPRO_BLOCKED_GLOBS=*.secret"}
	args := append([]string{"--root", h.Root, "--tool-mode", "full", "--mode", "agent"}, extra...)
	if transport == "http" {
		srv := startHTTPEnv(t, "hostile-"+strings.Join(extra, ""), env, args...)
		t.Cleanup(func() { srv.alive(t) })
		return httpTarget(srv)
	}
	argv := append([]string{s.mcpd, "--transport", "stdio"}, args...)
	return target{Transport: "stdio", Argv: argv, Env: s.mcpdEnv(env...)}
}

// hostileCall is one request and what its answer must show, if anything.
type hostileCall struct {
	call
	want string // a visible string the answer must contain ("" = no check)
}

func bashCall(cmd string) hostileCall {
	return hostileCall{call: callTool("bash", map[string]any{"command": cmd})}
}

func (h hostileRepo) readCalls() []hostileCall {
	read := func(p string, from, to int) hostileCall {
		args := map[string]any{"path": p}
		if from > 0 {
			args["start_line"] = from
		}
		if to > 0 {
			args["end_line"] = to
		}
		return hostileCall{call: callTool("read", args)}
	}
	search := func(q string, regex bool) hostileCall {
		return hostileCall{call: callTool("search", map[string]any{"query": q, "regex": regex, "include_hidden": true})}
	}
	return []hostileCall{
		read("config/deploy.txt", 0, 0), read("config/deploy.txt", 3, 3), read("config/deploy.txt", 3, 0),
		read("config/deploy.txt", 4, 5), read("config/app.yaml", 0, 0), read("config/app.yaml", 3, 3),
		read("config/app.yaml", 2, 3),
		search("HoStIlE", false), search("[A-Za-z0-9+/]{40,}", true), search("api_key", false),
		search("NextLineValue", false), search("aws_secret", false), search(hostileOutside, false),
		{call: callTool("git_diff", map[string]any{})}, {call: callTool("git_diff", map[string]any{"staged": true})},
		{call: callTool("git_status", map[string]any{}), want: "## main"},
		{call: callTool("show_changes", map[string]any{})},
		{call: callTool("tree", map[string]any{})},
	}
}

// writeCalls are the class-3 sequences: a token assembled by write then
// edit, a key skeleton filled line by line with edit, a zero-context hunk
// under a BEGIN line, and a patch that copies a file with a live key.
func writeCalls() []hostileCall {
	tok := func(args map[string]any) hostileCall { return hostileCall{call: callTool("edit", args)} }
	return []hostileCall{
		{call: callTool("write", map[string]any{"path": "notes/token.txt", "content": "token=" + hostileTokenHead + "|\n"})},
		tok(map[string]any{"path": "notes/token.txt", "old_text": "|", "new_text": hostileTokenTail}),
		{call: callTool("write", map[string]any{"path": "notes/key.txt", "content": keyBegin + "\nLINE_ONE\nLINE_TWO\n" + keyEnd + "\n"})},
		tok(map[string]any{"path": "notes/key.txt", "old_text": "LINE_ONE", "new_text": hostileWriteKey1}),
		tok(map[string]any{"path": "notes/key.txt", "old_text": "LINE_TWO", "new_text": hostileWriteKey2}),
		{call: callTool("apply_patch", map[string]any{"patch": "--- a/config/skeleton.txt\n+++ b/config/skeleton.txt\n@@ -1,0 +2,2 @@\n+" +
			hostileWriteKey1 + "\n+" + hostileWriteKey2 + "\n"})},
		{call: callTool("apply_patch", map[string]any{"patch": "--- /dev/null\n+++ b/config/copy.txt\n@@ -0,0 +1,5 @@\n+deploy key:\n+" +
			keyBegin + "\n+" + hostileKeyBody1 + "\n+" + hostileKeyBody2 + "\n+" + keyEnd + "\n"})},
		{call: callTool("read", map[string]any{"path": "notes/token.txt"})},
		{call: callTool("read", map[string]any{"path": "notes/key.txt"})},
		{call: callTool("read", map[string]any{"path": "config/skeleton.txt", "start_line": 2})},
		{call: callTool("git_diff", map[string]any{})},
		{call: callTool("show_changes", map[string]any{})},
	}
}

// contextCalls use the context directory, which is a symlink to src.
func contextCalls() []hostileCall {
	return []hostileCall{
		{call: callTool("handoff_to_agent", map[string]any{"plan": "# Plan\n\nNothing to do.\n", "title": "hostile"})},
		{call: callTool("export_pro_context", map[string]any{})},
	}
}

// linkContextDir makes .ai-bridge a symlink to src while mcpd runs (a
// checkout can do that under a running server; mcpd refuses to start with
// one, see TestHostileContextDirLinkAtStart).
func (h hostileRepo) linkContextDir(t *testing.T) {
	t.Helper()
	if err := os.Symlink("src", filepath.Join(h.Root, ".ai-bridge")); err != nil {
		t.Fatal(err)
	}
}

func (h hostileRepo) run(t *testing.T, tg target, sandbox string, nested bool) {
	var calls []hostileCall
	for _, cmd := range hostileGitCommands {
		calls = append(calls, bashCall(cmd))
	}
	calls = append(calls, h.readCalls()...)
	calls = append(calls, writeCalls()...)
	linkAt := len(calls)
	calls = append(calls, contextCalls()...)
	calls = append(calls, bashCall("git log -p --full-diff"), bashCall("git status --porcelain"), hostileCall{call: listTools()})
	srcBefore := listDir(t, filepath.Join(h.Root, "src"))
	s := needSuite(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	g := goClient{}
	c := g.open(t, ctx, tg)
	var sess session
	for i, hc := range calls {
		if i == linkAt {
			h.linkContextDir(t)
		}
		sess.Replies = append(sess.Replies, g.do(ctx, c, hc.call))
	}
	record(s, "mcp-go "+tg.Transport+" (hostile repository)", sess)
	for i, rp := range sess.Replies {
		said := string(rp.Raw) + rp.Err
		for what, v := range hostileSecrets() {
			if strings.Contains(said, v) {
				t.Errorf("%s answered with %s:\n%s", calls[i].call, what, truncate(said, 3000))
			}
		}
		if calls[i].want != "" && !strings.Contains(said, calls[i].want) {
			t.Errorf("%s: answer lacks %q: %s", calls[i].call, calls[i].want, truncate(said, 2000))
		}
	}
	h.checkBashRan(t, sess, calls, sandbox, nested)
	last := sess.Replies[len(sess.Replies)-1]
	if _, ok := last.tools(t)["bash"]; !ok {
		t.Errorf("the server no longer serves tools/list with bash at the end: %s", last.Raw)
	}
	if _, err := os.Stat(h.ran); err == nil {
		t.Errorf("a textconv, filter or fsmonitor driver from the repository's .git/config ran")
	}
	h.checkDisk(t)
	if after := listDir(t, filepath.Join(h.Root, "src")); strings.Join(after, ",") != strings.Join(srcBefore, ",") {
		t.Errorf("the symlinked context dir let a tool write into src/: before %v, after %v", srcBefore, after)
	}
}

// checkBashRan makes sure the git commands really ran (the test must not
// pass because everything was refused) and under the sandbox asked for.
func (h hostileRepo) checkBashRan(t *testing.T, sess session, calls []hostileCall, sandbox string, nested bool) {
	t.Helper()
	for i, c := range calls {
		if c.Tool != "bash" || !strings.HasPrefix(c.Args["command"].(string), "git log -p --full-diff") {
			continue
		}
		r := sess.Replies[i].result(t, c.call)
		var status, stdout string
		r.field(t, "sandbox", &status)
		r.field(t, "stdout", &stdout)
		var stderr string
		r.field(t, "stderr", &stderr)
		// Under Landlock the enclosing repository's .git is outside the
		// workspace and unreadable, so git in a nested root fails closed;
		// with the sandbox off it runs and the filter is the guard.
		if nested && sandbox == "landlock" && strings.Contains(stderr, "not a git repository") {
			continue
		}
		if r.IsError || !strings.Contains(stdout, "src/app.go") || !strings.Contains(stdout, "rotate and drop the env file") {
			t.Errorf("%s did not show the visible history (stderr %q): %s", c.call, stderr, truncate(r.text(), 600))
		}
		if sandbox == "landlock" && !strings.Contains(strings.ToLower(status), "landlock") {
			t.Errorf("%s ran with sandbox status %q, want Landlock", c.call, status)
		}
	}
}

// checkDisk: none of the class-3 sequences left a secret on disk.
func (h hostileRepo) checkDisk(t *testing.T) {
	t.Helper()
	for _, rel := range []string{"notes/token.txt", "notes/key.txt", "config/skeleton.txt", "config/copy.txt"} {
		b, err := os.ReadFile(filepath.Join(h.Root, filepath.FromSlash(rel)))
		if err != nil {
			continue
		}
		for what, v := range map[string]string{"the assembled GitHub token": hostileTokenHead + hostileTokenTail,
			"a key body written line by line": hostileWriteKey2, "a copy of the committed key": hostileKeyBody2} {
			if strings.Contains(string(b), v) {
				t.Errorf("%s landed on disk in %s", what, rel)
			}
		}
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// TestHostileContextDirLinkAtStart: mcpd refuses to start on a workspace
// whose context directory is a symlink, says why and how to fix it, and
// prints nothing it must not.
func TestHostileContextDirLinkAtStart(t *testing.T) {
	s := needSuite(t)
	h := newHostileRepo(t, false)
	h.linkContextDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.mcpd, "--root", h.Root, "--transport", "stdio")
	cmd.Env = s.mcpdEnv()
	out, err := cmd.CombinedOutput()
	s.log.add("mcpd started on a symlinked context dir", out)
	if err == nil || !strings.Contains(string(out), "is a symlink") {
		t.Fatalf("mcpd started on a workspace whose .ai-bridge links to src (err %v):\n%s", err, out)
	}
}
