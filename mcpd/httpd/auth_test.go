package httpd

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestAuthEveryRoute(t *testing.T) {
	s := startGuard(t, okHandler, Options{})
	q := "?" + TokenQueryParam + "=" + url.QueryEscape(testToken)
	cases := []struct {
		name   string
		method string
		target string
		edit   func(*http.Request)
		want   int
	}{
		{"missing on /mcp", "POST", "/mcp", nil, 401},
		{"missing on /healthz", "GET", "/healthz", nil, 401},
		{"missing on unknown route", "GET", "/nope", nil, 401},
		{"missing on GET /mcp", "GET", "/mcp", nil, 401},
		{"missing on DELETE /mcp", "DELETE", "/mcp", nil, 401},
		{"bearer", "POST", "/mcp", bearer(testToken), 200},
		{"bearer lower-case scheme", "POST", "/mcp", header("Authorization", "bearer "+testToken), 200},
		{"bearer upper-case, extra spaces", "POST", "/mcp", header("Authorization", "BEARER    "+testToken+"  "), 200},
		{"bearer with tab", "POST", "/mcp", header("Authorization", "Bearer\t"+testToken), 200},
		{"query parameter", "POST", "/mcp" + q, nil, 200},
		{"query parameter on healthz", "GET", "/healthz" + q, nil, 200},
		{"valid token, unknown route is 404 only after auth", "GET", "/nope", bearer(testToken), 404},
		{"wrong bearer", "POST", "/mcp", bearer("wrong-token-0123456789abcdef0123"), 401},
		{"token prefix", "POST", "/mcp", bearer(testToken[:len(testToken)-1]), 401},
		{"token plus suffix", "POST", "/mcp", bearer(testToken + "x"), 401},
		{"token with trailing word", "POST", "/mcp", header("Authorization", "Bearer "+testToken+" extra"), 401},
		{"bare token without scheme", "POST", "/mcp", header("Authorization", testToken), 401},
		{"scheme glued to token", "POST", "/mcp", header("Authorization", "Bearer"+testToken), 401},
		{"basic auth", "POST", "/mcp", header("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("codexpro:"+testToken))), 401},
		{"basic auth with raw token", "POST", "/mcp", header("Authorization", "Basic "+testToken), 401},
		{"X-Token header", "POST", "/mcp", header("X-Token", testToken), 401},
		{"X-Api-Key header", "POST", "/mcp", header("X-Api-Key", testToken), 401},
		{"cookie", "POST", "/mcp", header("Cookie", TokenQueryParam+"="+testToken), 401},
		{"generic token= query", "POST", "/mcp?token=" + testToken, nil, 401},
		{"access_token= query", "POST", "/mcp?access_token=" + testToken, nil, 401},
		{"case-changed query name", "POST", "/mcp?CODEXPRO_TOKEN=" + testToken, nil, 401},
		{"empty query value", "POST", "/mcp?" + TokenQueryParam + "=", nil, 401},
		{"empty bearer", "POST", "/mcp", header("Authorization", "Bearer "), 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Fresh remote state: the throttle must not turn these into 429s.
			s.guard.failures = newThrottle()
			resp, body := s.do(t, c.method, c.target, strings.NewReader("{}"), c.edit)
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d (body %q)", resp.StatusCode, c.want, body)
			}
			if c.want == 401 && resp.Header.Get("WWW-Authenticate") != `Bearer realm="codexpro"` {
				t.Fatalf("WWW-Authenticate = %q", resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
}

func header(k, v string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

// With no token configured and auth not disabled, nothing may get in, not
// even an empty credential (whose hash would equal the empty token's).
func TestNoTokenConfiguredRefusesAll(t *testing.T) {
	g := Handler(okHandler, Options{BindHost: "127.0.0.1", Port: 8787})
	for _, edit := range []func(*http.Request){
		nil,
		header("Authorization", "Bearer "),
		header("Authorization", "Bearer"),
	} {
		req := httptest.NewRequest("POST", "http://127.0.0.1:8787/mcp?"+TokenQueryParam+"=", nil)
		if edit != nil {
			edit(req)
		}
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		if rec.Code != 401 {
			t.Fatalf("status %d, want 401", rec.Code)
		}
	}
}

// --no-auth on a public bind or with a tunnel hostname fails closed.
func TestNoAuthRefusedOffLoopback(t *testing.T) {
	cases := []Options{
		{NoAuth: true, BindHost: "0.0.0.0", Port: 8787},
		{NoAuth: true, BindHost: "192.0.2.10", Port: 8787},
		{NoAuth: true, BindHost: "127.0.0.1", Port: 8787, PublicHosts: []string{"tunnel.example.com"}},
	}
	for _, o := range cases {
		g := Handler(okHandler, o)
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, httptest.NewRequest("POST", "http://127.0.0.1:8787/mcp", nil))
		if rec.Code != 401 {
			t.Errorf("NoAuth with bind %q, public %v: status %d, want 401", o.BindHost, o.PublicHosts, rec.Code)
		}
	}
	for _, bind := range []string{"127.0.0.1", "localhost", "::1"} {
		g := Handler(okHandler, Options{NoAuth: true, BindHost: bind, Port: 8787})
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, httptest.NewRequest("POST", "http://127.0.0.1:8787/mcp", nil))
		if rec.Code != 200 {
			t.Errorf("NoAuth on loopback %q: status %d, want 200", bind, rec.Code)
		}
	}
}

func TestNoAuthOnlySkipsAuth(t *testing.T) {
	s := startGuard(t, okHandler, Options{NoAuth: true})
	if resp, body := s.do(t, "POST", "/mcp", strings.NewReader("{}"), nil); resp.StatusCode != 200 {
		t.Fatalf("no-auth request: status %d (%s)", resp.StatusCode, body)
	}
	resp, _ := s.do(t, "POST", "/mcp", nil, func(r *http.Request) { r.Host = "evil.example" })
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("no-auth must still check Host: status %d", resp.StatusCode)
	}
}

// Handlers behind the guard never see the token, so they cannot log it.
func TestCredentialsStrippedBeforeInner(t *testing.T) {
	var seenQuery, seenURI, seenAuth string
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seenQuery, seenURI, seenAuth = r.URL.RawQuery, r.RequestURI, r.Header.Get("Authorization")
	})
	s := startGuard(t, inner, Options{})
	for _, target := range []string{
		"/mcp?a=1&" + TokenQueryParam + "=" + testToken,
		"/mcp?a=1&codexpro%5Ftoken=" + testToken,
	} {
		seenQuery = ""
		resp, _ := s.do(t, "GET", target, nil, bearer(testToken))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", target, resp.StatusCode)
		}
		for _, v := range []string{seenQuery, seenURI, seenAuth} {
			if strings.Contains(v, testToken) {
				t.Fatalf("%s: inner handler saw the token: %q", target, v)
			}
		}
		if seenQuery != "a=1" {
			t.Fatalf("%s: other query parameters must survive: %q", target, seenQuery)
		}
	}
}

func TestBearerToken(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Bearer abc", "abc", true},
		{"  bearer   abc  ", "abc", true},
		{"Bearer", "", false},
		{"Bearer   ", "", false},
		{"Bearerabc", "", false},
		{"Basic abc", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := bearerToken(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("bearerToken(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func BenchmarkCredentialMatch(b *testing.B) {
	c := newCredential(testToken)
	short, long := "x", strings.Repeat("x", len(testToken))
	b.Run("short", func(b *testing.B) {
		for b.Loop() {
			c.matches(short)
		}
	})
	b.Run("same-length", func(b *testing.B) {
		for b.Loop() {
			c.matches(long)
		}
	})
}

func TestCredentialMatches(t *testing.T) {
	set := newCredential(testToken)
	cases := []struct {
		name string
		c    credential
		in   string
		want bool
	}{
		{"exact", set, testToken, true},
		{"prefix", set, testToken[:10], false},
		{"longer", set, testToken + testToken, false},
		{"same length, one byte off", set, testToken[:len(testToken)-1] + "!", false},
		{"empty", set, "", false},
		{"unset token, empty input", newCredential(""), "", false},
		{"unset token, any input", newCredential(""), "x", false},
	}
	for _, c := range cases {
		if got := c.c.matches(c.in); got != c.want {
			t.Errorf("%s: matches = %v, want %v", c.name, got, c.want)
		}
	}
}
