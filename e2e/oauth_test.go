package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var pairingLine = regexp.MustCompile(`Pairing code for "([^"]*)": ([A-Z0-9]{4}-[A-Z0-9]{4})`)

// TestOAuthWithTypeScriptSDK: a real SDK client connects to mcpd --auth
// oauth with no secret in its URL: discovery, registration, the consent
// page approved with the pairing code mcpd printed in its terminal, token,
// tools/list, refresh, and after `mcpd auth revoke all` it is refused.
// Every token the client got is a planted secret for the run's leak scan,
// which also reads the grant file under mcpd's HOME.
func TestOAuthWithTypeScriptSDK(t *testing.T) {
	s := needSuite(t)
	nodeModules(t, s)
	srv := startHTTP(t, "oauth", "--auth", "oauth")
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(srv.tail.String(), "choose OAuth"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("mcpd --auth oauth does not say how to connect:\n%s", srv.tail)
		}
	}
	if strings.Contains(srv.tail.String(), srv.Token) {
		t.Fatalf("mcpd --auth oauth printed the static token")
	}
	tokenFile := filepath.Join(t.TempDir(), "tokens.json")
	ctx, cancel := context.WithTimeout(context.Background(), nodeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "ts-oauth.mjs")
	cmd.Dir, cmd.Env = s.clients, s.nodeEnv()
	cmd.Stderr = s.log.writer("ts-sdk oauth stderr")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	send := func(v any) { b, _ := json.Marshal(v); _, _ = stdin.Write(append(b, '\n')) }
	recv := func() map[string]any {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("the SDK client stopped: %v", lines.Err())
		}
		s.log.add("ts-sdk oauth stdout", lines.Bytes())
		var m map[string]any
		if err := json.Unmarshal(lines.Bytes(), &m); err != nil || m["step"] == "error" {
			t.Fatalf("the SDK client: %s", lines.Text())
		}
		return m
	}
	plantTokens := func() {
		raw, _ := os.ReadFile(tokenFile)
		var toks []string
		_ = json.Unmarshal(raw, &toks)
		for _, tok := range toks {
			s.log.secret("an OAuth token the SDK client received", tok)
		}
	}
	send(map[string]string{"url": srv.URL, "tokenFile": tokenFile})
	step := recv()
	authURL, _ := step["url"].(string)
	if !strings.HasPrefix(authURL, "http://"+srv.Host+"/oauth/authorize?") {
		t.Fatalf("authorization URL %q", authURL)
	}
	code := approveInBrowser(t, srv, authURL)
	send(map[string]string{"code": code})
	step = recv()
	plantTokens()
	if step["tools"].(float64) < 1 || step["refreshed"] != true || step["toolsAfterRefresh"].(float64) < 1 {
		t.Fatalf("after approval: %v", step)
	}
	out, err := runBin(t, "mcpd", "", "auth", "list", "--root", s.fx.Root)
	if err != nil || !strings.Contains(out, "e2e ts-sdk") {
		t.Fatalf("mcpd auth list does not show the grant (%v):\n%s", err, out)
	}
	if out, err := runBin(t, "mcpd", "", "auth", "revoke", "--root", s.fx.Root, "all"); err != nil || !strings.Contains(out, "Revoked 1") {
		t.Fatalf("mcpd auth revoke all (%v):\n%s", err, out)
	}
	send(map[string]string{"step": "revoked"})
	step = recv()
	plantTokens()
	if step["afterRevoke"] != "unauthorized" || step["reauthorize"] != true {
		t.Fatalf("after revocation the client must be sent to authorize again: %v", step)
	}
	srv.alive(t)
}

// approveInBrowser plays the person at the browser: it opens the consent
// page, reads the pairing code from mcpd's terminal, types it, and returns
// the code the redirect carries back to the client.
func approveInBrowser(t *testing.T, srv *httpServer, authURL string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := b.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	needSuite(t).log.add("consent page", page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "e2e ts-sdk") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("consent page %d (CSP %q):\n%s", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), page)
	}
	var pairing string
	deadline := time.Now().Add(10 * time.Second)
	for pairing == "" && time.Now().Before(deadline) {
		if m := pairingLine.FindAllStringSubmatch(srv.tail.String(), -1); len(m) > 0 {
			pairing = m[len(m)-1][2]
		} else {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if pairing == "" {
		t.Fatalf("mcpd printed no pairing code:\n%s", srv.tail)
	}
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]+)"`).FindStringSubmatch(string(page))
		if m == nil {
			t.Fatalf("no %s on the consent page", name)
		}
		return m[1]
	}
	resp, err = b.PostForm("http://"+srv.Host+"/oauth/authorize", url.Values{"request": {field("request")},
		"csrf": {field("csrf")}, "code": {pairing}, "action": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("approval: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	needSuite(t).log.secret("the OAuth authorization code", loc.Query().Get("code"))
	return loc.Query().Get("code")
}
