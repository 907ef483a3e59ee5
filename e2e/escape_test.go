package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// escapeCase is one attempt to get at something outside the workspace or
// blocked inside it, and the rule that must refuse it.
type escapeCase struct {
	name string
	call call
	rule string
}

func escapeCases(fx fixture) []escapeCase {
	read := func(p string) call { return callTool("read", map[string]any{"path": p}) }
	outside := filepath.Join(fx.Outside, "secret.txt")
	return []escapeCase{
		{"dot-dot", read("../outside/secret.txt"), "escape"},
		{"dot-dot inside a path", read("src/../../outside/secret.txt"), "escape"},
		{"absolute path outside", read(outside), "escape"},
		{"absolute system file", read("/etc/passwd"), "escape"},
		{"home", read("~"), "escape"},
		{"home ssh key", read("~/.ssh/id_rsa"), "escape"},
		{"symlink to an outside file", read("out-file"), "symlink-escape"},
		{"through a symlink to an outside dir", read("out-dir/secret.txt"), "symlink-escape"},
		{"symlink into .env", read("env-link"), "blocked"},
		{"symlink into a private key", read("key-link"), "blocked"},
		{".env", read(".env"), "blocked"},
		{".ENV", read(".ENV"), "blocked"},
		{"private key", read("id_ed25519"), "blocked"},
		{".git/config", read(".git/config"), "blocked"},
		{".GIT/config", read(".GIT/config"), "blocked"},
		{"./.git/../.env", read("./.git/../.env"), "blocked"},
		// Blocked names in other letter cases are refused by name, whether
		// or not such a file exists (on a case-insensitive disk they would).
		{"ID_ED25519", read("ID_ED25519"), "blocked"},
		{".Env", read(".Env"), "blocked"},
		{".eNv.local", read(".eNv.local"), "blocked"},
		{"src/.ENV.production", read("src/.ENV.production"), "blocked"},
		{"Node_Modules", read("Node_Modules/x.js"), "blocked"},
		{"server.KEY", read("server.KEY"), "blocked"},
		{"tree of the parent", callTool("tree", map[string]any{"path": "../"}), "escape"},
		{"tree through a symlink out", callTool("tree", map[string]any{"path": "out-dir"}), "symlink-escape"},
		{"tree of .git", callTool("tree", map[string]any{"path": ".git"}), "blocked"},
		{"search outside", callTool("search", map[string]any{"query": "CANARY", "path": "../outside"}), "escape"},
		{"search through a symlink out", callTool("search", map[string]any{"query": "CANARY", "path": "out-dir"}), "symlink-escape"},
		{"git_status of the parent", callTool("git_status", map[string]any{"path": "../"}), "escape"},
	}
}

// TestEscapeAttempts makes each attempt as a real client call, over stdio
// and over HTTP, and checks it is refused by the right rule with nothing of
// the target in the answer.
func TestEscapeAttempts(t *testing.T) {
	s := needSuite(t)
	cases := escapeCases(s.fx)
	calls := make([]call, len(cases))
	for i, c := range cases {
		calls[i] = c.call
	}
	targets := map[string]func(*testing.T) target{
		"stdio": func(*testing.T) target { return stdioTarget(s) },
		"http":  func(t *testing.T) target { return httpTarget(startHTTP(t, "escapes")) },
	}
	for name, tg := range targets {
		t.Run(name, func(t *testing.T) {
			sess := goClient{}.Run(t, tg(t), calls)
			for i, c := range cases {
				t.Run(c.name, func(t *testing.T) { checkRefused(t, c, sess.Replies[i]) })
			}
		})
	}
}

func checkRefused(t *testing.T, c escapeCase, rp reply) {
	r := rp.result(t, c.call)
	if !r.IsError {
		t.Fatalf("%s was not refused: %s", c.call, r.all())
	}
	if want := "[rule: " + c.rule + "]"; !strings.Contains(r.text(), want) {
		t.Errorf("%s: refusal %q does not name %s", c.call, r.text(), want)
	}
	for what, secret := range suite.fx.secrets() {
		if strings.Contains(r.all(), secret) {
			t.Errorf("%s: the refusal contains %s", c.call, what)
		}
	}
}

// TestInsideNamesAllowed: names that look like escapes but stay inside the
// root must work, or the guard would be refusing by accident.
func TestInsideNamesAllowed(t *testing.T) {
	s := needSuite(t)
	cases := []struct {
		call call
		want string
	}{
		{callTool("read", map[string]any{"path": "..data/info.txt"}), dotDataCanary},
		{callTool("read", map[string]any{"path": "ok-link"}), readmeCanary},
		{callTool("read", map[string]any{"path": "./src/../README.md"}), readmeCanary},
		{callTool("read", map[string]any{"path": filepath.Join(s.fx.Root, "README.md")}), readmeCanary},
	}
	calls := make([]call, len(cases))
	for i, c := range cases {
		calls[i] = c.call
	}
	sess := goClient{}.Run(t, stdioTarget(s), calls)
	for i, c := range cases {
		if r := sess.Replies[i].ok(t, c.call); !strings.Contains(r.text(), c.want) {
			t.Errorf("%s: want %q in %s", c.call, c.want, r.text())
		}
	}
}

// TestBlockedNeverSearched: a search for text that only blocked files hold
// finds nothing, even with hidden files included.
func TestBlockedNeverSearched(t *testing.T) {
	s := needSuite(t)
	queries := []string{"OPENAI_API_KEY", "BEGIN OPENSSH PRIVATE KEY", "repositoryformatversion"}
	var calls []call
	for _, q := range queries {
		calls = append(calls, callTool("search", map[string]any{"query": q, "include_hidden": true}))
	}
	sess := goClient{}.Run(t, stdioTarget(s), calls)
	for i, c := range calls {
		r := sess.Replies[i].ok(t, c)
		var matches []map[string]any
		r.field(t, "matches", &matches)
		if len(matches) != 0 {
			t.Errorf("%s found text in blocked files: %v", c, matches)
		}
	}
}
