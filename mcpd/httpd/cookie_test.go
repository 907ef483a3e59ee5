package httpd

import (
	"net/http"
	"strings"
	"testing"
)

// The admin cookie opens only the routes added with HandleWithCookie, only
// with the value derived from this server's token, and never by being the
// token itself.
func TestAdminCookieOnlyOnCookieRoutes(t *testing.T) {
	s := startGuard(t, okHandler, Options{})
	s.guard.HandleWithCookie("GET /{$}", okHandler)
	s.guard.HandleWithCookie("GET /admin/page", okHandler)
	s.guard.Handle("GET /admin/other", okHandler)
	good := cookie(AdminCookieValue(testToken))
	cases := []struct {
		name   string
		method string
		target string
		edit   func(*http.Request)
		want   int
	}{
		{"cookie on the page", "GET", "/", good, 200},
		{"cookie on another cookie route", "GET", "/admin/page", good, 200},
		{"cookie on /mcp", "POST", "/mcp", good, 401},
		{"cookie on /healthz", "GET", "/healthz", good, 401},
		{"cookie on a plain extra route", "GET", "/admin/other", good, 401},
		{"cookie under the page path", "GET", "/x", good, 401},
		{"raw token as cookie", "GET", "/", cookie(testToken), 401},
		{"cookie of another token", "GET", "/", cookie(AdminCookieValue("other-token-0123456789abcdef0123")), 401},
		{"cookie with a wrong name", "GET", "/", header("Cookie", "admin="+AdminCookieValue(testToken)), 401},
		{"empty cookie", "GET", "/", cookie(""), 401},
		{"no cookie", "GET", "/", nil, 401},
		{"query token still works", "GET", "/?" + TokenQueryParam + "=" + testToken, nil, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.guard.failures = newThrottle()
			resp, body := s.do(t, c.method, c.target, strings.NewReader(""), c.edit)
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d (body %q)", resp.StatusCode, c.want, body)
			}
		})
	}
}

// Without a token nothing, not even an empty cookie, authenticates.
func TestAdminCookieNeedsAToken(t *testing.T) {
	g := Handler(okHandler, Options{BindHost: "127.0.0.1", Port: 1})
	g.HandleWithCookie("GET /{$}", okHandler)
	r, _ := http.NewRequest("GET", "http://127.0.0.1:1/", nil)
	r.AddCookie(&http.Cookie{Name: AdminCookieName, Value: AdminCookieValue("")})
	if g.cookieAuthorized(r) {
		t.Fatal("the cookie of an empty token was accepted")
	}
}

func cookie(v string) func(*http.Request) {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: AdminCookieName, Value: v}) }
}
