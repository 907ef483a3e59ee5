package e2e

import (
	"strings"
	"testing"
)

// clients are the real MCP clients every transport is tried with: mcp-go,
// the TypeScript SDK, the Inspector and the official Go SDK (at its default
// protocol revision and at 2025-06-18).
var clients = []mcpClient{goClient{}, tsClient{}, inspectorClient{}, goSDKClient{}, goSDKClient{version: "2025-06-18"}}

// The calls each client makes, and what a user of that client must see.
var clientCalls = []struct {
	name  string
	call  call
	check func(t *testing.T, c call, rp reply)
}{
	{"list", listTools(), checkList},
	{"read", callTool("read", map[string]any{"path": "README.md"}), checkRead},
	{"read redacted", callTool("read", map[string]any{"path": "config.txt"}), checkReadRedacted},
	{"tree", callTool("tree", map[string]any{}), checkTree},
	{"search", callTool("search", map[string]any{"query": searchNeedle}), checkSearch},
	{"git_status", callTool("git_status", map[string]any{}), checkGitStatus},
	{"refusal", callTool("read", map[string]any{"path": ".env"}), checkRefusal},
}

func TestClientsStdio(t *testing.T) {
	s := needSuite(t)
	for _, c := range clients {
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			runClientCalls(t, c, stdioTarget(s))
		})
	}
}

func TestClientsHTTP(t *testing.T) {
	srv := startHTTP(t, "clients")
	for _, c := range clients {
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			sess := runClientCalls(t, c, httpTarget(srv))
			checkProtocol(t, c, sess)
			srv.alive(t)
		})
	}
}

func runClientCalls(t *testing.T, c mcpClient, tg target) session {
	calls := make([]call, len(clientCalls))
	for i, cc := range clientCalls {
		calls[i] = cc.call
	}
	sess := c.Run(t, tg, calls)
	for i, cc := range clientCalls {
		t.Run(cc.name, func(t *testing.T) { cc.check(t, cc.call, sess.Replies[i]) })
	}
	return sess
}

// checkProtocol pins which era each client exercises over HTTP: mcp-go the
// stateless 2026-07-28 core, the TypeScript SDK the legacy session path.
func checkProtocol(t *testing.T, c mcpClient, sess session) {
	switch c := c.(type) {
	case goClient:
		if sess.Protocol != "2026-07-28" || sess.SessionID != "" {
			t.Errorf("mcp-go over HTTP negotiated %q (session %q); want the stateless 2026-07-28 protocol", sess.Protocol, sess.SessionID)
		}
	case tsClient:
		if sess.Protocol != "2025-11-25" || sess.SessionID == "" {
			t.Errorf("TypeScript SDK over HTTP negotiated %q (session %q); want 2025-11-25 with a session id", sess.Protocol, sess.SessionID)
		}
	case goSDKClient:
		// At its default the SDK speaks the stateless 2026-07-28 core; asked
		// for 2025-06-18 it takes the legacy session path.
		want, stateful := "2026-07-28", false
		if v := c.version; v != "" {
			want, stateful = v, true
		}
		if sess.Protocol != want || (sess.SessionID != "") != stateful {
			t.Errorf("%s over HTTP negotiated %q (session %q); want %s (with a session id: %v)", c.Name(), sess.Protocol, sess.SessionID, want, stateful)
		}
	}
}

func checkList(t *testing.T, _ call, rp reply) {
	tools := rp.tools(t)
	for _, name := range []string{"read", "tree", "search", "git_status"} {
		tl, ok := tools[name]
		if !ok {
			t.Errorf("tools/list has no %q tool (got %v)", name, keys(tools))
			continue
		}
		if tl.Annotations["readOnlyHint"] != true || tl.Annotations["destructiveHint"] != false {
			t.Errorf("%s: annotations %v; want readOnlyHint true and destructiveHint false", name, tl.Annotations)
		}
		if tl.Output == nil {
			t.Errorf("%s: no outputSchema", name)
		}
	}
}

func checkRead(t *testing.T, c call, rp reply) {
	r := rp.ok(t, c)
	var path string
	r.field(t, "path", &path)
	if !strings.Contains(r.text(), readmeCanary) {
		t.Errorf("read README.md does not show its content %q: %s", readmeCanary, r.all())
	}
	if path != "README.md" {
		t.Errorf("read README.md reports path %q", path)
	}
}

func checkReadRedacted(t *testing.T, c call, rp reply) {
	r := rp.ok(t, c)
	text := r.text() // read returns the file once, in the text content
	if !strings.Contains(text, "service_url=https://example.invalid/api") {
		t.Errorf("read config.txt lost its ordinary content: %q", text)
	}
	if !strings.Contains(text, "GITHUB_TOKEN="+redacted) || !strings.Contains(r.text(), redacted) {
		t.Errorf("read config.txt does not show the token redacted as %s: %q", redacted, text)
	}
	if strings.Contains(r.all(), plantedGitHub) {
		t.Errorf("read config.txt returned the planted GitHub token")
	}
}

func checkTree(t *testing.T, c call, rp reply) {
	r := rp.ok(t, c)
	var text string
	r.field(t, "text", &text)
	for _, want := range []string{"README.md", "src/", "app.go", "docs/", "config.txt"} {
		if !strings.Contains(text, want) {
			t.Errorf("tree does not list %q:\n%s", want, text)
		}
	}
	for _, hidden := range []string{"id_ed25519", ".env", ".ENV", ".git/"} {
		if strings.Contains(r.all(), hidden) {
			t.Errorf("tree lists the blocked %q:\n%s", hidden, text)
		}
	}
}

func checkSearch(t *testing.T, c call, rp reply) {
	r := rp.ok(t, c)
	var matches []struct {
		Path string `json:"path"`
		Line int    `json:"line"`
		Text string `json:"text"`
	}
	r.field(t, "matches", &matches)
	found := false
	for _, m := range matches {
		if m.Path == "src/app.go" && m.Line == 3 && strings.Contains(m.Text, searchNeedle) {
			found = true
		}
	}
	if !found {
		t.Errorf("search %q: want a match at src/app.go:3, got %+v", searchNeedle, matches)
	}
}

func checkGitStatus(t *testing.T, c call, rp reply) {
	r := rp.ok(t, c)
	var status string
	r.field(t, "status", &status)
	if !strings.Contains(status, "README.md") || !strings.Contains(status, "notes/") {
		t.Errorf("git_status does not show the modified README.md and untracked notes/:\n%s", status)
	}
	for _, hidden := range []string{".env", ".ENV", "id_ed25519"} {
		if strings.Contains(r.all(), hidden) {
			t.Errorf("git_status shows the blocked %q:\n%s", hidden, status)
		}
	}
}

// checkRefusal: a blocked file is an error result that names its rule, not
// a protocol error, so a user of any client sees why it was refused.
func checkRefusal(t *testing.T, c call, rp reply) {
	r := rp.result(t, c)
	if !r.IsError {
		t.Fatalf("%s: not refused: %s", c, r.all())
	}
	if !strings.Contains(r.text(), "[rule: blocked]") {
		t.Errorf("%s: refusal does not name the rule: %s", c, r.text())
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
