package e2e

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var connectorLine = regexp.MustCompile(`http://127\.0\.0\.1:\d+/mcp\?codexpro_token=([0-9A-Za-z_-]+)`)

// TestGeneratedTokenConnectorURL is the first-run flow: mcpd on loopback
// with no token configured makes one, prints the connector URL once, and
// that URL (token in the query, as a ChatGPT connector sends it) works
// while the bare URL does not.
func TestGeneratedTokenConnectorURL(t *testing.T) {
	s := needSuite(t)
	srv := launchHTTP(t, "generated token", "")
	connector := waitFor(t, srv, connectorLine)
	m := connectorLine.FindStringSubmatch(connector)
	token := m[1]
	if len(token) < 24 {
		t.Fatalf("generated token is %d characters; want at least 24", len(token))
	}
	u, err := url.Parse(connector)
	if err != nil || u.Host != srv.Host {
		t.Fatalf("connector URL %q does not point at the listener %s", connector, srv.Host)
	}

	read := callTool("read", map[string]any{"path": "README.md"})
	goSess := goClient{}.Run(t, target{Transport: "http", URL: connector}, []call{read})
	if r := goSess.Replies[0].ok(t, read); !strings.Contains(r.text(), readmeCanary) {
		t.Errorf("mcp-go via the connector URL: %s", r.all())
	}
	tsSess := tsClient{}.Run(t, target{Transport: "http", URL: connector}, []call{read})
	if r := tsSess.Replies[0].ok(t, read); !strings.Contains(r.text(), readmeCanary) {
		t.Errorf("TypeScript SDK via the connector URL: %s", r.all())
	}
	if status, _ := post(t, srv, initializeBody, nil); status != 401 {
		t.Errorf("the bare URL without the token: status %d, want 401", status)
	}

	// The token is shown to the user only inside the URLs mcpd announces;
	// request logs and results must not repeat it.
	announced := regexp.MustCompile(`^\s+http://127\.0\.0\.1:\d+/\S*\?codexpro_token=` + regexp.QuoteMeta(token) + `$`)
	for _, line := range strings.Split(srv.tail.all(), "\n") {
		if strings.Contains(line, token) && !announced.MatchString(line) {
			t.Errorf("mcpd's stderr repeats the generated token outside an announced URL: %s",
				strings.ReplaceAll(line, token, "<token>"))
		}
	}
	for _, sess := range []session{goSess, tsSess} {
		raw, _ := json.Marshal(sess)
		if strings.Contains(string(raw), token) {
			t.Errorf("a result contains the generated token")
		}
	}
	s.log.secretShownBy("the generated token", token, srv.stderrSource)

	t.Run("stdio snippet", func(t *testing.T) { checkStdioSnippet(t, s, srv.tail.all()) })
}

// checkStdioSnippet starts mcpd exactly as the mcpServers snippet on its
// stderr says, the way Claude Desktop or Cursor would, and reads a file.
func checkStdioSnippet(t *testing.T, s *suiteState, stderr string) {
	// The snippet is a JSON object printed over several lines; log lines
	// are one-line JSON objects, so look for a brace alone on its line.
	i := strings.Index(stderr, "\n{\n")
	if i < 0 {
		t.Fatalf("mcpd printed no JSON stdio snippet:\n%s", stderr)
	}
	var snippet struct {
		MCPServers map[string]struct {
			Command string   `json:"command"`
			Args    []string `json:"args"`
		} `json:"mcpServers"`
	}
	if err := json.NewDecoder(strings.NewReader(stderr[i+1:])).Decode(&snippet); err != nil {
		t.Fatalf("the stdio snippet is not JSON: %v\n%s", err, stderr[i+1:])
	}
	if len(snippet.MCPServers) != 1 {
		t.Fatalf("the snippet has %d servers; want one", len(snippet.MCPServers))
	}
	for name, srv := range snippet.MCPServers {
		if srv.Command != s.mcpd {
			t.Errorf("snippet %q runs %q; want this mcpd, %q", name, srv.Command, s.mcpd)
		}
		read := callTool("read", map[string]any{"path": "README.md"})
		tg := target{Transport: "stdio", Argv: append([]string{srv.Command}, srv.Args...), Env: s.mcpdEnv()}
		sess := goClient{}.Run(t, tg, []call{read})
		if r := sess.Replies[0].ok(t, read); !strings.Contains(r.text(), readmeCanary) {
			t.Errorf("mcpd started from the snippet read %s", r.all())
		}
	}
}

// waitFor waits until mcpd has printed a line matching re and returns it.
func waitFor(t *testing.T, srv *httpServer, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindString(srv.tail.all()); m != "" {
			return m
		}
		srv.alive(t)
	}
	t.Fatalf("mcpd printed nothing matching %s; stderr:\n%s", re, srv.tail)
	return ""
}
