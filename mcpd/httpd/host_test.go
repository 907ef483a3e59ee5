package httpd

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestHostCheck(t *testing.T) {
	s := startGuard(t, okHandler, Options{PublicHosts: []string{"Tunnel.Example.com", "named.example.org:8443"}})
	p := s.port
	cases := []struct {
		host string
		want int
	}{
		{fmt.Sprintf("127.0.0.1:%d", p), 200},
		{fmt.Sprintf("localhost:%d", p), 200},
		{fmt.Sprintf("LocalHost:%d", p), 200},
		{fmt.Sprintf("[::1]:%d", p), 200},
		{"tunnel.example.com", 200},
		{"tunnel.example.com:443", 200},
		{"TUNNEL.EXAMPLE.COM.", 200},
		{"named.example.org:8443", 200},
		{"named.example.org", 403},
		{"tunnel.example.com:abc", 403},
		{"tunnel.example.com:99999", 403},
		{"named.example.org:443", 403},
		{"evil.example", 403},
		{fmt.Sprintf("evil.example:%d", p), 403},
		{fmt.Sprintf("127.0.0.1:%d", p+1), 403},
		{"127.0.0.1", 403},
		{"localhost", 403},
		{fmt.Sprintf("127.0.0.2:%d", p), 403},
		{fmt.Sprintf("localhost.evil.example:%d", p), 403},
		{fmt.Sprintf("127.0.0.1.nip.io:%d", p), 403},
		{"tunnel.example.com.evil.example", 403},
		{fmt.Sprintf("0.0.0.0:%d", p), 403},
	}
	for _, c := range cases {
		t.Run(c.host, func(t *testing.T) {
			resp, body := s.do(t, "POST", "/mcp", nil, func(r *http.Request) {
				r.Host = c.host
				bearer(testToken)(r)
			})
			if resp.StatusCode != c.want {
				t.Fatalf("Host %q: status %d, want %d (%s)", c.host, resp.StatusCode, c.want, body)
			}
			if c.want == 403 && !strings.Contains(body, "CODEXPRO_PUBLIC_HOSTNAMES") {
				t.Fatalf("refusal does not say how to fix it: %q", body)
			}
		})
	}
}

// A wildcard bind host is not a Host anyone can send; only loopback names
// and public hostnames work then.
func TestHostCheckWildcardBind(t *testing.T) {
	p := newHostPolicy(Options{BindHost: "0.0.0.0", Port: 8787})
	if p.acceptHost("0.0.0.0:8787", "80") {
		t.Fatal("0.0.0.0 accepted as a Host")
	}
	if !p.acceptHost("127.0.0.1:8787", "80") {
		t.Fatal("loopback refused on a wildcard bind")
	}
	if newHostPolicy(Options{Port: 0}).acceptHost("127.0.0.1:0", "80") {
		t.Fatal("port 0 must not match anything")
	}
}

func TestOriginCheck(t *testing.T) {
	s := startGuard(t, okHandler, Options{
		PublicHosts:    []string{"tunnel.example.com"},
		AllowedOrigins: []string{"http://localhost:6274/", "*", "null"},
	})
	p := s.port
	cases := []struct {
		origin string
		want   int
	}{
		{"", 200},
		{fmt.Sprintf("http://127.0.0.1:%d", p), 200},
		{fmt.Sprintf("http://localhost:%d", p), 200},
		{fmt.Sprintf("http://[::1]:%d", p), 200},
		{"https://tunnel.example.com", 200},
		{"http://localhost:6274", 200},
		{"HTTP://LOCALHOST:6274", 200},
		{"https://evil.example", 403},
		{"null", 403},
		{"*", 403},
		{fmt.Sprintf("http://127.0.0.1:%d", p+1), 403},
		{"http://localhost", 403},
		{"https://tunnel.example.com.evil.example", 403},
		{fmt.Sprintf("ftp://127.0.0.1:%d", p), 403},
		{fmt.Sprintf("http://user@127.0.0.1:%d", p), 403},
		{fmt.Sprintf("http://127.0.0.1:%d/path", p), 403},
		{"file://", 403},
	}
	for _, c := range cases {
		t.Run(c.origin, func(t *testing.T) {
			resp, body := s.do(t, "POST", "/mcp", nil, func(r *http.Request) {
				if c.origin != "" {
					r.Header.Set("Origin", c.origin)
				}
				bearer(testToken)(r)
			})
			if resp.StatusCode != c.want {
				t.Fatalf("Origin %q: status %d, want %d (%s)", c.origin, resp.StatusCode, c.want, body)
			}
			acao := resp.Header.Get("Access-Control-Allow-Origin")
			switch {
			case acao == "*":
				t.Fatal("wildcard CORS sent")
			case c.want == 403 && acao != "":
				t.Fatalf("refused origin got Access-Control-Allow-Origin %q", acao)
			case c.want == 200 && c.origin != "" && acao != c.origin:
				t.Fatalf("Access-Control-Allow-Origin = %q, want the request's origin", acao)
			}
		})
	}
}

func TestPreflight(t *testing.T) {
	s := startGuard(t, okHandler, Options{AllowedOrigins: []string{"http://localhost:6274"}})
	preflight := func(origin string) func(*http.Request) {
		return func(r *http.Request) {
			r.Header.Set("Origin", origin)
			r.Header.Set("Access-Control-Request-Method", "POST")
			r.Header.Set("Access-Control-Request-Headers", "authorization, mcp-session-id")
		}
	}
	resp, _ := s.do(t, "OPTIONS", "/mcp", nil, preflight("http://localhost:6274"))
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("allowed preflight: status %d, want 204", resp.StatusCode)
	}
	h := resp.Header
	if h.Get("Access-Control-Allow-Origin") != "http://localhost:6274" ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Mcp-Session-Id") ||
		!strings.Contains(h.Get("Access-Control-Expose-Headers"), "Mcp-Session-Id") {
		t.Fatalf("preflight headers incomplete: %v", h)
	}
	if h.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatal("credentials must not be allowed cross-origin")
	}

	resp, _ = s.do(t, "OPTIONS", "/mcp", nil, preflight("https://evil.example"))
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign preflight: status %d, ACAO %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}

	// OPTIONS without a CORS request is an ordinary request and needs the token.
	if resp, _ = s.do(t, "OPTIONS", "/mcp", nil, nil); resp.StatusCode != 401 {
		t.Fatalf("plain OPTIONS without token: status %d, want 401", resp.StatusCode)
	}
}
