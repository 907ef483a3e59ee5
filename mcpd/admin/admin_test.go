package admin

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/httpd"
	"codexpro.dev/pkg/config"
)

const testToken = "admin-test-token-0123456789abcdef01234567"

type fixture struct {
	srv   *httptest.Server
	admin *Admin
	store config.ProfileStore
	root  string
	port  string
}

// start serves the admin routes behind a real guard on loopback, with
// chatgpt.com as an extra allowed origin and a tunnel hostname, as in use.
func start(t *testing.T) *fixture {
	t.Helper()
	root, _ := filepath.EvalSymlinks(t.TempDir())
	home := t.TempDir()
	ts := httptest.NewUnstartedServer(nil)
	port := ts.Listener.Addr().(*net.TCPAddr).Port
	s := config.Settings{Root: root, AllowedRoots: []string{root}, Home: home, Host: "127.0.0.1", Port: port,
		Token: testToken, TokenSource: "env", Mode: "agent", WriteMode: "workspace", ToolMode: "standard",
		BashMode: "safe", BashTranscript: "compact", Sandbox: "auto", ContextDir: ".ai-bridge"}
	g := httpd.Handler(http.NotFoundHandler(), httpd.Options{Token: testToken, BindHost: "127.0.0.1", Port: port,
		PublicHosts: []string{"tunnel.example.com"}, AllowedOrigins: []string{"https://chatgpt.com"}, Log: zerolog.Nop()})
	a, err := New(Options{Settings: s, Port: port, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(g)
	ts.Config.Handler = g
	ts.Start()
	t.Cleanup(ts.Close)
	return &fixture{srv: ts, admin: a, store: config.NewProfileStore(home), root: root, port: itoa(port)}
}

func itoa(n int) string { return strconv.Itoa(n) }

func (f *fixture) do(t *testing.T, method, target, body string, edit func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(req)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (f *fixture) cookie(r *http.Request) {
	r.AddCookie(&http.Cookie{Name: httpd.AdminCookieName, Value: httpd.AdminCookieValue(testToken)})
}

// fromPage makes r look like the page's own fetch.
func (f *fixture) fromPage(r *http.Request) {
	f.cookie(r)
	r.Header.Set("Origin", f.srv.URL)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(CSRFHeader, f.admin.csrf)
}

func TestPageTradesTokenForCookie(t *testing.T) {
	f := start(t)
	resp, body := f.do(t, "GET", "/?"+httpd.TokenQueryParam+"="+testToken, "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == httpd.AdminCookieName {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Value == testToken || c.Path != "/" {
		t.Fatalf("admin cookie %+v, want HttpOnly, SameSite=Strict, Path=/, not the raw token", c)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(body, testToken) {
		t.Fatal("the page shows the raw token")
	}
	for _, want := range []string{f.root, "/mcp", "apply the next time you start mcpd", "Developer mode", f.admin.csrf} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).MatchString(body) {
		t.Fatal("the page loads something from another site")
	}
	if resp, _ := f.do(t, "GET", "/setup", "", f.cookie); resp.StatusCode != 200 {
		t.Fatalf("/setup with the cookie: %d", resp.StatusCode)
	}
	if resp, _ := f.do(t, "GET", "/admin/assets/app.js", "", f.cookie); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("app.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := f.do(t, "GET", "/admin/assets/page.html", "", f.cookie); resp.StatusCode != 404 {
		t.Fatalf("the template is served as an asset: %d", resp.StatusCode)
	}
}

func TestAdminRefusals(t *testing.T) {
	f := start(t)
	good := `{"mode":"agent","write":"workspace","bash":"off","toolMode":"standard","allowedRoots":[]}`
	cases := []struct {
		name   string
		method string
		target string
		body   string
		edit   func(*http.Request)
		want   int
		msg    string
	}{
		{"page without token", "GET", "/", "", nil, 401, "unauthorized"},
		{"page through the tunnel hostname", "GET", "/", "", func(r *http.Request) { f.cookie(r); r.Host = "tunnel.example.com" }, 403, "only on the local address"},
		{"save through the tunnel hostname", "POST", "/admin/profile", good, func(r *http.Request) {
			f.fromPage(r)
			r.Host = "tunnel.example.com"
			r.Header.Set("Origin", "https://tunnel.example.com")
		}, 403, "only on the local address"},
		{"page through cloudflared (Host rewritten to loopback)", "GET", "/", "", func(r *http.Request) {
			f.cookie(r)
			r.Header.Set("Cf-Connecting-Ip", "203.0.113.9")
			r.Header.Set("X-Forwarded-Host", "tunnel.example.com")
		}, 403, "through a proxy or tunnel"},
		{"save through a proxy", "POST", "/admin/profile", good, func(r *http.Request) {
			f.fromPage(r)
			r.Header.Set("X-Forwarded-For", "203.0.113.9")
		}, 403, "through a proxy or tunnel"},
		{"save without cookie", "POST", "/admin/profile", good, func(r *http.Request) {
			f.fromPage(r)
			r.Header.Del("Cookie")
		}, 401, "unauthorized"},
		{"save without Origin", "POST", "/admin/profile", good, func(r *http.Request) { f.fromPage(r); r.Header.Del("Origin") }, 403, "no Origin"},
		{"save from an allowed foreign Origin", "POST", "/admin/profile", good, func(r *http.Request) {
			f.fromPage(r)
			r.Header.Set("Origin", "https://chatgpt.com")
		}, 403, "not this page"},
		{"save from an unknown Origin", "POST", "/admin/profile", good, func(r *http.Request) {
			f.fromPage(r)
			r.Header.Set("Origin", "https://evil.example")
		}, 403, "not allowed"},
		{"save cross-site fetch", "POST", "/admin/profile", good, func(r *http.Request) { f.fromPage(r); r.Header.Set("Sec-Fetch-Site", "cross-site") }, 403, "Sec-Fetch-Site"},
		{"save without CSRF", "POST", "/admin/profile", good, func(r *http.Request) { f.fromPage(r); r.Header.Del(CSRFHeader) }, 403, CSRFHeader},
		{"save with wrong CSRF", "POST", "/admin/profile", good, func(r *http.Request) { f.fromPage(r); r.Header.Set(CSRFHeader, "x") }, 403, CSRFHeader},
		{"save as a form post", "POST", "/admin/profile", "bash=full", func(r *http.Request) {
			f.fromPage(r)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}, 403, "application/json"},
		{"bad bash value", "POST", "/admin/profile", strings.Replace(good, `"off"`, `"yolo"`, 1), f.fromPage, 400, `bash \"yolo\" is not one of off, safe, full`},
		{"unknown field", "POST", "/admin/profile", `{"token":"x"}`, f.fromPage, 400, `a field this server does not know (token)`},
		{"workspace writes in handoff mode", "POST", "/admin/profile", strings.Replace(good, `"agent"`, `"handoff"`, 1), f.fromPage, 400, "needs mode agent"},
		{"missing allowed root", "POST", "/admin/profile", strings.Replace(good, `[]`, `["/does/not/exist"]`, 1), f.fromPage, 400, "allowed root /does/not/exist does not exist"},
		{"relative allowed root", "POST", "/admin/profile", strings.Replace(good, `[]`, `["src"]`, 1), f.fromPage, 400, "absolute"},
		{"too large", "POST", "/admin/profile", `{"mode":"` + strings.Repeat("a", 40<<10) + `"}`, f.fromPage, 413, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := f.do(t, c.method, c.target, c.body, c.edit)
			if resp.StatusCode != c.want || !strings.Contains(body, c.msg) {
				t.Fatalf("status %d body %q, want %d with %q", resp.StatusCode, body, c.want, c.msg)
			}
			// Messages are for people: no JSON field names, no raw errors.
			for _, raw := range []string{"toolMode", "allowedRoots", "lstat", "json:"} {
				if resp.StatusCode == 400 && strings.Contains(body, `"message":"`) && strings.Contains(body[strings.Index(body, `"message":"`):], raw) {
					t.Errorf("message shows %q: %s", raw, body)
				}
			}
		})
	}
	if _, err := os.Stat(f.store.Path(f.root)); !os.IsNotExist(err) {
		t.Fatalf("a refused request wrote the profile: %v", err)
	}
}

func TestSaveWritesProfileOnly(t *testing.T) {
	f := start(t)
	extra, _ := filepath.EvalSymlinks(t.TempDir())
	before := f.admin.o.Settings.String()
	body := `{"mode":"handoff","write":"off","bash":"full","toolMode":"full","allowedRoots":["` + extra + `","` + f.root + `"]}`
	resp, out := f.do(t, "POST", "/admin/profile", body, f.fromPage)
	if resp.StatusCode != 200 || !strings.Contains(out, "Restart mcpd") {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	p, ok, err := f.store.Load(f.root)
	if err != nil || !ok {
		t.Fatalf("profile not saved: %v", err)
	}
	if p.Mode != "handoff" || p.Write != "off" || p.Bash != "full" || p.ToolMode != "full" || len(p.AllowedRoots) != 1 || p.AllowedRoots[0] != extra {
		t.Fatalf("saved %+v", p)
	}
	if p.TokenFile != "" || p.LegacyToken != "" {
		t.Fatalf("the save persisted the running token: %+v", p)
	}
	if after := f.admin.o.Settings.String(); after != before {
		t.Fatalf("running settings changed:\n%s\n%s", before, after)
	}
	_, page := f.do(t, "GET", "/", "", f.cookie)
	if !strings.Contains(page, "<option selected>full</option>") || !strings.Contains(page, `id="running-bash">safe`) {
		t.Fatal("the page does not show the saved bash=full beside the running bash=safe")
	}
}

func TestSaveOverMalformedProfileIsRefused(t *testing.T) {
	f := start(t)
	if err := os.MkdirAll(f.store.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := f.store.Path(f.root)
	if err := os.WriteFile(path, []byte("{nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := `{"mode":"agent","write":"workspace","bash":"off","toolMode":"standard","allowedRoots":[]}`
	resp, body := f.do(t, "POST", "/admin/profile", good, f.fromPage)
	if resp.StatusCode != 409 || !strings.Contains(body, path) || !strings.Contains(body, "settings delete") {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
	_, page := f.do(t, "GET", "/", "", f.cookie)
	if !strings.Contains(page, "profile-error") {
		t.Fatal("the page hides the broken profile")
	}
}

// The public endpoint comes from a live tunnelctl's runtime file; a stale
// file (dead pid) is not shown as live.
func TestPublicEndpointFromTunnelRuntime(t *testing.T) {
	f := start(t)
	dir := filepath.Join(f.admin.o.Settings.Home, "runtime")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tunnel-"+config.ProfileID(f.root)+".json")
	write := func(pid int) {
		data := `{"version":1,"root":"` + f.root + `","pid":` + strconv.Itoa(pid) +
			`,"tunnel":"quick","endpoint":"https://calm-river.trycloudflare.com/mcp","connector_url":"https://calm-river.trycloudflare.com/mcp?codexpro_token=<redacted>"}`
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(os.Getpid())
	_, page := f.do(t, "GET", "/", "", f.cookie)
	if !strings.Contains(page, `id="public-endpoint">https://calm-river.trycloudflare.com/mcp`) || !strings.Contains(page, "quick tunnel, pid") {
		t.Fatal("the page does not show the live tunnel's endpoint")
	}
	write(1 << 30) // no such process
	_, page = f.do(t, "GET", "/", "", f.cookie)
	if strings.Contains(page, "calm-river") {
		t.Fatal("the page shows the endpoint of a tunnel that is not running")
	}
}

// GET /admin/profile shows the saved and running values, never the token.
func TestProfileAPINeverShowsToken(t *testing.T) {
	f := start(t)
	if _, err := f.store.Save(config.Profile{Root: f.root, Bash: "off", LegacyToken: "legacy-" + testToken}); err != nil {
		t.Fatal(err)
	}
	resp, body := f.do(t, "GET", "/admin/profile", "", f.cookie)
	if resp.StatusCode != 200 || strings.Contains(body, testToken) {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
	for _, want := range []string{`"exists":true`, `"bash":"off"`, `"bashMode":"safe"`, f.store.Path(f.root)} {
		if !strings.Contains(body, want) {
			t.Errorf("response lacks %q: %s", want, body)
		}
	}
}

// A save writes only the fields the page sent: the others keep what the
// profile holds (or stay unset), even when another program changed them
// after the page was opened.
func TestSaveChangesOnlyTheGivenFields(t *testing.T) {
	f := start(t)
	extra, _ := filepath.EvalSymlinks(t.TempDir())
	if _, err := f.store.Save(config.Profile{Root: f.root, ToolMode: "full", AllowedRoots: []string{extra}}); err != nil {
		t.Fatal(err)
	}
	resp, out := f.do(t, "POST", "/admin/profile", `{"bash":"off"}`, f.fromPage)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	p, _, _ := f.store.Load(f.root)
	if p.Bash != "off" || p.ToolMode != "full" || p.Mode != "" || p.Write != "" || len(p.AllowedRoots) != 1 {
		t.Fatalf("saved %+v; want bash=off and every other field as it was", p)
	}
	// The cross-field rule still holds against the saved and running values.
	if resp, out := f.do(t, "POST", "/admin/profile", `{"mode":"pro","write":"workspace"}`, f.fromPage); resp.StatusCode != 400 || !strings.Contains(out, "needs mode agent") {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
}
