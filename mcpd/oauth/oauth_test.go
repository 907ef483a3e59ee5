package oauth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// rig is an authorization server on a loopback test listener, with the
// pairing codes it announced and a controllable clock.
type rig struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	store string
	mu    sync.Mutex
	codes []string
	now   time.Time
}

func newRig(t *testing.T) *rig {
	t.Helper()
	rg := &rig{t: t, now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	rg.store = filepath.Join(t.TempDir(), "oauth.json")
	st, err := OpenStore(rg.store, rg.clock)
	if err != nil {
		t.Fatal(err)
	}
	rg.srv = New(Options{Store: st, Now: rg.clock, Access: []string{"mode agent", "write workspace"},
		Announce: func(_, code string, _ time.Duration) { rg.mu.Lock(); rg.codes = append(rg.codes, code); rg.mu.Unlock() }})
	mux := http.NewServeMux()
	mux.Handle("/", rg.srv.Handler())
	mux.HandleFunc("/mcp", func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !rg.srv.Verify(r, tok) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	rg.ts = httptest.NewServer(mux)
	t.Cleanup(rg.ts.Close)
	return rg
}

func (rg *rig) clock() time.Time        { rg.mu.Lock(); defer rg.mu.Unlock(); return rg.now }
func (rg *rig) advance(d time.Duration) { rg.mu.Lock(); rg.now = rg.now.Add(d); rg.mu.Unlock() }
func (rg *rig) lastCode() string {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	return rg.codes[len(rg.codes)-1]
}

// browser does not follow redirects, so the test sees where it is sent.
func (rg *rig) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (rg *rig) register(redirects ...string) (string, int, map[string]any) {
	body, _ := json.Marshal(map[string]any{"client_name": "ChatGPT", "redirect_uris": redirects, "token_endpoint_auth_method": "none"})
	resp, err := http.Post(rg.ts.URL+"/oauth/register", "application/json", strings.NewReader(string(body)))
	if err != nil {
		rg.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	id, _ := out["client_id"].(string)
	return id, resp.StatusCode, out
}

const redirectURI = "https://chatgpt.com/connector_platform_oauth_redirect"

func pkce() (verifier, challenge string) {
	verifier = strings.Repeat("v", 20) + newSecret()
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// consent opens the consent page and answers it; it returns the response
// to the form post.
func (rg *rig) consent(b *http.Client, client, challenge string, code func(announced string) string, extra url.Values) *http.Response {
	rg.t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {redirectURI},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}, "state": {"st-1"}, "resource": {rg.ts.URL + "/mcp"}}
	resp, err := b.Get(rg.ts.URL + "/oauth/authorize?" + q.Encode())
	if err != nil {
		rg.t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		rg.t.Fatalf("consent page: %d\n%s", resp.StatusCode, page)
	}
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]+)"`).FindSubmatch(page)
		if m == nil {
			rg.t.Fatalf("consent page has no %s field:\n%s", name, page)
		}
		return string(m[1])
	}
	form := url.Values{"request": {field("request")}, "csrf": {field("csrf")}, "code": {code(rg.lastCode())}, "action": {"approve"}}
	for k, v := range extra {
		form[k] = v
	}
	resp, err = b.PostForm(rg.ts.URL+"/oauth/authorize", form)
	if err != nil {
		rg.t.Fatal(err)
	}
	return resp
}

func (rg *rig) tokenCall(form url.Values) (int, map[string]any) {
	resp, err := http.PostForm(rg.ts.URL+"/oauth/token", form)
	if err != nil {
		rg.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (rg *rig) mcpStatus(token string) int {
	req, _ := http.NewRequest("POST", rg.ts.URL+"/mcp", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		rg.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func codeFrom(t *testing.T, resp *http.Response) string {
	t.Helper()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil || !strings.HasPrefix(loc.String(), redirectURI) {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("approval: %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if loc.Query().Get("state") != "st-1" {
		t.Fatalf("state not returned: %s", loc)
	}
	return loc.Query().Get("code")
}

// TestFlow: register, approve with the pairing code, exchange with PKCE,
// call /mcp, refresh (rotation), replay the old refresh token (the grant
// is revoked), and nothing in the store file is usable as a credential.
func TestFlow(t *testing.T) {
	rg := newRig(t)
	client, status, _ := rg.register(redirectURI)
	if status != http.StatusCreated || client == "" {
		t.Fatalf("register: %d", status)
	}
	verifier, challenge := pkce()
	code := codeFrom(t, rg.consent(rg.browser(), client, challenge, func(c string) string { return strings.ToLower(c) }, nil))
	status, tok := rg.tokenCall(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {client},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}, "resource": {rg.ts.URL + "/mcp"}})
	if status != http.StatusOK || tok["access_token"] == nil || tok["refresh_token"] == nil {
		t.Fatalf("token: %d %v", status, tok)
	}
	access, refresh := tok["access_token"].(string), tok["refresh_token"].(string)
	if rg.mcpStatus(access) != http.StatusOK || rg.mcpStatus("wrong") != http.StatusUnauthorized {
		t.Fatal("access token not accepted, or a wrong one accepted")
	}
	status, tok2 := rg.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {client}})
	if status != http.StatusOK || tok2["refresh_token"] == refresh {
		t.Fatalf("refresh: %d %v", status, tok2)
	}
	if rg.mcpStatus(access) != http.StatusUnauthorized || rg.mcpStatus(tok2["access_token"].(string)) != http.StatusOK {
		t.Fatal("after a refresh the old access token must stop working and the new one work")
	}
	raw, _ := os.ReadFile(rg.store)
	for _, secret := range []string{access, refresh, tok2["access_token"].(string), tok2["refresh_token"].(string), code, rg.lastCode()} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("the store holds a usable credential %q:\n%s", secret, raw)
		}
	}
	if fi, _ := os.Stat(rg.store); fi.Mode().Perm() != 0o600 {
		t.Fatalf("store mode %v, want 0600", fi.Mode().Perm())
	}
	status, out := rg.tokenCall(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {client}})
	if status != http.StatusBadRequest || out["error"] != "invalid_grant" {
		t.Fatalf("replayed refresh token: %d %v", status, out)
	}
	if rg.mcpStatus(tok2["access_token"].(string)) != http.StatusUnauthorized || len(rg.srv.o.Store.Grants()) != 0 {
		t.Fatal("a replayed refresh token must revoke the whole grant")
	}
}

// TestAttacks: each is refused with the right OAuth error and leaves no
// grant behind.
func TestAttacks(t *testing.T) {
	rg := newRig(t)
	client, _, _ := rg.register(redirectURI)
	exchange := func(code, verifier string, tweak func(url.Values)) (int, map[string]any) {
		f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {client},
			"redirect_uri": {redirectURI}, "code_verifier": {verifier}}
		if tweak != nil {
			tweak(f)
		}
		return rg.tokenCall(f)
	}
	approve := func() (code, verifier string) {
		verifier, challenge := pkce()
		return codeFrom(t, rg.consent(rg.browser(), client, challenge, func(c string) string { return c }, nil)), verifier
	}
	cases := []struct {
		name string
		run  func() (int, map[string]any)
		want string
	}{
		{"PKCE mismatch", func() (int, map[string]any) { c, _ := approve(); v, _ := pkce(); return exchange(c, v, nil) }, "invalid_grant"},
		{"other redirect", func() (int, map[string]any) {
			c, v := approve()
			return exchange(c, v, func(f url.Values) { f.Set("redirect_uri", "https://chatgpt.com/other") })
		}, "invalid_grant"},
		{"token for another resource", func() (int, map[string]any) {
			c, v := approve()
			return exchange(c, v, func(f url.Values) { f.Set("resource", "https://evil.example/mcp") })
		}, "invalid_target"},
		{"expired code", func() (int, map[string]any) { c, v := approve(); rg.advance(2 * codeTTL); return exchange(c, v, nil) }, "invalid_grant"},
		{"wrong client", func() (int, map[string]any) {
			c, v := approve()
			return exchange(c, v, func(f url.Values) { f.Set("client_id", "someone-else") })
		}, "invalid_grant"},
		{"implicit grant", func() (int, map[string]any) {
			return rg.tokenCall(url.Values{"grant_type": {"password"}, "username": {"a"}, "password": {"b"}})
		}, "unsupported_grant_type"},
	}
	for _, c := range cases {
		status, out := c.run()
		if status != http.StatusBadRequest || out["error"] != c.want {
			t.Errorf("%s: got %d %v, want 400 %s", c.name, status, out, c.want)
		}
		if n := len(rg.srv.o.Store.Grants()); n != 0 {
			t.Fatalf("%s left %d grants", c.name, n)
		}
	}

	// A reused code: the second use fails and revokes what the first made.
	code, verifier := approve()
	if status, _ := exchange(code, verifier, nil); status != http.StatusOK {
		t.Fatal("first exchange failed")
	}
	if status, out := exchange(code, verifier, nil); status != http.StatusBadRequest || out["error"] != "invalid_grant" {
		t.Fatalf("reused code: %d %v", status, out)
	}
	if n := len(rg.srv.o.Store.Grants()); n != 0 {
		t.Fatalf("a reused code must revoke its grant; %d left", n)
	}
}

// TestRegistrationRefusals: redirect URIs off the allow-list, plain http to
// a public host, and confidential clients are refused.
func TestRegistrationRefusals(t *testing.T) {
	rg := newRig(t)
	for _, bad := range []string{"https://evil.example/cb", "http://chatgpt.com/cb", "javascript:alert(1)", "https://user@chatgpt.com/cb",
		"https://chatgpt.com.evil.example/cb", "https://chatgpt.com/cb#frag", "/relative"} {
		if _, status, out := rg.register(bad); status != http.StatusBadRequest || !strings.HasPrefix(out["error"].(string), "invalid_") {
			t.Errorf("register %q: %d %v", bad, status, out)
		}
	}
	for _, good := range []string{"http://127.0.0.1:33418/callback", "http://localhost/cb", redirectURI} {
		if _, status, out := rg.register(good); status != http.StatusCreated {
			t.Errorf("register %q: %d %v", good, status, out)
		}
	}
}

// TestConsentRefusals: an unregistered redirect is never redirected to; a
// form without the page's cookie (CSRF) approves nothing; wrong pairing
// codes void the request after five tries and are throttled across
// requests; a denied request goes back with access_denied.
func TestConsentRefusals(t *testing.T) {
	rg := newRig(t)
	client, _, _ := rg.register(redirectURI)
	_, challenge := pkce()

	q := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {"https://chatgpt.com/not-registered"},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	resp, _ := rg.browser().Get(rg.ts.URL + "/oauth/authorize?" + q.Encode())
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Fatalf("unregistered redirect: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	q.Set("redirect_uri", redirectURI)
	q.Set("code_challenge_method", "plain")
	resp, _ = rg.browser().Get(rg.ts.URL + "/oauth/authorize?" + q.Encode())
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error=invalid_request") {
		t.Fatalf("plain PKCE: %d to %q", resp.StatusCode, loc)
	}

	// CSRF: the right code, posted without the page's cookie.
	b := rg.browser()
	resp = rg.consent(b, client, challenge, func(c string) string { return c }, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatal("a normal approval failed")
	}
	noCookie := &http.Client{CheckRedirect: b.CheckRedirect}
	resp = rg.consent(noCookie, client, challenge, func(c string) string { return c }, nil)
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Location") != "" {
		t.Fatalf("approval without the consent cookie: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Brute force: five wrong codes void the request, and the right one
	// then no longer works.
	b = rg.browser()
	resp = rg.consent(b, client, challenge, func(string) string { return "AAAA-AAAA" }, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code: %d", resp.StatusCode)
	}
	for i := 0; i < 12; i++ {
		resp = rg.consent(rg.browser(), client, challenge, func(string) string { return "BBBB-BBBB" }, nil)
		if resp.Header.Get("Location") != "" {
			t.Fatal("a wrong pairing code was accepted")
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after many wrong codes in a minute: %d, want 429", resp.StatusCode)
	}
	rg.advance(2 * time.Minute)
	resp = rg.consent(rg.browser(), client, challenge, func(c string) string { return c }, url.Values{"action": {"deny"}})
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error=access_denied") {
		t.Fatalf("deny: %d to %q", resp.StatusCode, loc)
	}
	if n := len(rg.srv.o.Store.Grants()); n != 0 {
		t.Fatalf("refusals left %d grants", n)
	}
}

// TestRevokeFromAnotherProcess: `mcpd auth revoke` rewrites the file; the
// running server stops accepting the grant's token at its next request and
// never writes the grant back.
func TestRevokeFromAnotherProcess(t *testing.T) {
	rg := newRig(t)
	client, _, _ := rg.register(redirectURI)
	verifier, challenge := pkce()
	code := codeFrom(t, rg.consent(rg.browser(), client, challenge, func(c string) string { return c }, nil))
	_, tok := rg.tokenCall(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {client},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}})
	access := tok["access_token"].(string)
	if rg.mcpStatus(access) != http.StatusOK {
		t.Fatal("token not accepted")
	}
	other, err := OpenStore(rg.store, rg.clock) // as `mcpd auth revoke` opens it
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // a new modification time even on coarse clocks
	if n, err := other.Revoke("all"); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if rg.mcpStatus(access) != http.StatusUnauthorized {
		t.Fatal("a grant revoked by another process still opens /mcp")
	}
	if _, status, _ := rg.register(redirectURI); status != http.StatusCreated {
		t.Fatal("register after revoke")
	}
	if n := len(other.Grants()); n != 0 {
		t.Fatalf("the server wrote a revoked grant back: %d grants", n)
	}
}

// TestBaseBehindTunnel: through cloudflared (Host rewritten to loopback,
// the public name in X-Forwarded-Host) the metadata names the https public
// origin; a forwarded value that is not a plain host name is ignored.
func TestBaseBehindTunnel(t *testing.T) {
	cases := []struct{ host, fwd, want string }{
		{"127.0.0.1:8787", "", "http://127.0.0.1:8787"},
		{"127.0.0.1:8787", "abc.trycloudflare.com", "https://abc.trycloudflare.com"},
		{"[::1]:8787", "mcp.example.com", "https://mcp.example.com"},
		{"127.0.0.1:8787", "evil.example/path?x=", "http://127.0.0.1:8787"},
		{"mcp.example.com", "", "https://mcp.example.com"},
		{"mcp.example.com", "other.example", "https://mcp.example.com"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = c.host
		if c.fwd != "" {
			r.Header.Set("X-Forwarded-Host", c.fwd)
		}
		if got := Base(r); got != c.want {
			t.Errorf("Host %q, X-Forwarded-Host %q: Base %q, want %q", c.host, c.fwd, got, c.want)
		}
	}
}

// TestRegistrationFloodKeepsApprovedClients: registration is open, so a
// flood past the cap forgets the oldest unapproved clients, never an
// approved one, and a new client can always register.
func TestRegistrationFloodKeepsApprovedClients(t *testing.T) {
	rg := newRig(t)
	client, _, _ := rg.register(redirectURI)
	verifier, challenge := pkce()
	code := codeFrom(t, rg.consent(rg.browser(), client, challenge, func(c string) string { return c }, nil))
	if status, _ := rg.tokenCall(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {client},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}}); status != http.StatusOK {
		t.Fatal("approval failed")
	}
	for i := 0; i < 2*maxClients; i++ {
		rg.advance(time.Second)
		if _, status, out := rg.register(redirectURI); status != http.StatusCreated {
			t.Fatalf("registration %d refused during a flood: %v", i, out)
		}
	}
	if _, ok := rg.srv.o.Store.client(client); !ok {
		t.Fatal("the flood pushed out the approved client")
	}
}
