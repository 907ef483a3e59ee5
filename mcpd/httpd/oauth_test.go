package httpd

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fakeOAuth accepts one access token and serves one public path.
type fakeOAuth struct{}

func (fakeOAuth) Public(path string) bool { return path == "/.well-known/oauth-protected-resource" }
func (fakeOAuth) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "metadata") })
}
func (fakeOAuth) Verify(_ *http.Request, bearer string) bool { return bearer == "oauth-access-token" }
func (fakeOAuth) Challenge(*http.Request) string {
	return `Bearer resource_metadata="http://x/.well-known/oauth-protected-resource"`
}

// TestOAuthGuard: with OAuth on, the discovery path needs no token but
// still passes the Host check; /mcp takes an access token or the static
// token in the Authorization header only (never in the URL), and a 401
// points at the metadata.
func TestOAuthGuard(t *testing.T) {
	s := startGuard(t, okHandler, Options{OAuth: fakeOAuth{}})
	q := "?" + TokenQueryParam + "=" + url.QueryEscape(testToken)
	cases := []struct {
		name, method, target string
		edit                 func(*http.Request)
		want                 int
	}{
		{"metadata without a token", "GET", "/.well-known/oauth-protected-resource", nil, 200},
		{"metadata under a hostile Host", "GET", "/.well-known/oauth-protected-resource", func(r *http.Request) { r.Host = "evil.example" }, 403},
		{"access token", "POST", "/mcp", bearer("oauth-access-token"), 200},
		{"static token in the header", "POST", "/mcp", bearer(testToken), 200},
		{"static token in the URL", "POST", "/mcp" + q, nil, 401},
		{"access token in the URL", "POST", "/mcp?" + TokenQueryParam + "=oauth-access-token", nil, 401},
		{"wrong token", "POST", "/mcp", bearer("nope"), 401},
		{"other paths still need a token", "GET", "/healthz", nil, 401},
	}
	for _, c := range cases {
		resp, body := s.do(t, c.method, c.target, nil, c.edit)
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, resp.StatusCode, strings.TrimSpace(body), c.want)
		}
		if resp.StatusCode == 401 && !strings.Contains(resp.Header.Get("WWW-Authenticate"), "resource_metadata=") {
			t.Errorf("%s: 401 without resource_metadata: %q", c.name, resp.Header.Get("WWW-Authenticate"))
		}
	}
}
