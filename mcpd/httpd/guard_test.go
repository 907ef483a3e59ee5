package httpd

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Every response carries the security headers, refusals included.
func TestSecurityHeadersOnAllResponses(t *testing.T) {
	s := startGuard(t, okHandler, Options{MaxBodyBytes: 8})
	throttled := startGuard(t, okHandler, Options{})
	for range failLimitPerKey {
		throttled.do(t, "GET", "/healthz", nil, nil)
	}
	cases := []struct {
		name string
		srv  *testServer
		do   func(*http.Request)
		path string
		body string
		want int
	}{
		{"ok", s, bearer(testToken), "/mcp", "", 200},
		{"wrong method", s, bearer(testToken), "/healthz", "", 405},
		{"unauthorized", s, nil, "/mcp", "", 401},
		{"bad host", s, func(r *http.Request) { r.Host = "evil.example" }, "/mcp", "", 403},
		{"bad origin", s, header("Origin", "https://evil.example"), "/mcp", "", 403},
		{"not found", s, bearer(testToken), "/nope", "", 404},
		{"too large", s, bearer(testToken), "/mcp", "0123456789", 413},
		{"throttled", throttled, nil, "/healthz", "", 429},
	}
	want := map[string]string{
		"Cache-Control":          "no-store",
		"Referrer-Policy":        "no-referrer",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, _ := c.srv.do(t, "POST", c.path, strings.NewReader(c.body), c.do)
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.want)
			}
			for k, v := range want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if resp.Header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}

// The token must not reach the log, whether it arrives in the query or the
// header, right or wrong.
func TestLogNeverContainsToken(t *testing.T) {
	s := startGuard(t, okHandler, Options{})
	wrong := "wrong-token-ffffffffffffffffffff"
	s.do(t, "GET", "/mcp?"+TokenQueryParam+"="+testToken+"&x=1", nil, nil)
	s.do(t, "POST", "/mcp", strings.NewReader("{}"), bearer(testToken))
	s.do(t, "GET", "/healthz?"+TokenQueryParam+"="+wrong, nil, nil)
	s.do(t, "GET", "/healthz", nil, bearer(wrong))
	s.do(t, "GET", "/nope?"+TokenQueryParam+"="+testToken, nil, nil)

	log := s.log.String()
	for _, secret := range []string{testToken, wrong, TokenQueryParam} {
		if strings.Contains(log, secret) {
			t.Fatalf("log contains %q:\n%s", secret, log)
		}
	}
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != 5 {
		t.Fatalf("want one line per request, got %d:\n%s", len(lines), log)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &raw); err != nil {
		t.Fatal(err)
	}
	if raw["method"] != "GET" || raw["path"] != "/mcp" || raw["status"] != float64(200) ||
		raw["request_id"] == "" || raw["request_id"] == nil || raw["duration"] == nil {
		t.Fatalf("first line lacks method/path/status/request_id/duration: %s", lines[0])
	}
	if !strings.Contains(lines[2], `"refused":"auth"`) {
		t.Fatalf("refusal not named in the log: %s", lines[2])
	}
}

func TestHealthz(t *testing.T) {
	s := startGuard(t, okHandler, Options{Health: func() any {
		return map[string]any{"ok": true, "name": "CodexPro"}
	}})
	resp, body := s.do(t, "GET", "/healthz", nil, bearer(testToken))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil || got["name"] != "CodexPro" || got["ok"] != true {
		t.Fatalf("body %q (%v)", body, err)
	}
	if resp, _ := s.do(t, "POST", "/healthz", nil, bearer(testToken)); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST /healthz: status %d, want 405", resp.StatusCode)
	}
	bare := startGuard(t, okHandler, Options{})
	if _, body := bare.do(t, "GET", "/healthz", nil, bearer(testToken)); strings.TrimSpace(body) != `{"ok":true}` {
		t.Fatalf("default health body %q", body)
	}
}

func TestHandleAddsGuardedRoute(t *testing.T) {
	s := startGuard(t, okHandler, Options{})
	s.guard.Handle("/setup", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("setup page"))
	}))
	if resp, _ := s.do(t, "GET", "/setup", nil, nil); resp.StatusCode != 401 {
		t.Fatalf("added route without token: status %d, want 401", resp.StatusCode)
	}
	if resp, body := s.do(t, "GET", "/setup", nil, bearer(testToken)); resp.StatusCode != 200 || body != "setup page" {
		t.Fatalf("added route with token: %d %q", resp.StatusCode, body)
	}
}

func TestRequestIDInContext(t *testing.T) {
	var seen string
	s := startGuard(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = RequestID(r.Context())
	}), Options{})
	resp, _ := s.do(t, "GET", "/mcp", nil, bearer(testToken))
	if seen == "" || seen != resp.Header.Get("X-Request-Id") {
		t.Fatalf("context id %q, header id %q", seen, resp.Header.Get("X-Request-Id"))
	}
}

func TestServerLimits(t *testing.T) {
	srv := Server(okHandler, "127.0.0.1:0")
	if srv.ReadHeaderTimeout <= 0 || srv.ReadHeaderTimeout > 30*time.Second {
		t.Errorf("ReadHeaderTimeout = %v", srv.ReadHeaderTimeout)
	}
	if srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes = %d", srv.MaxHeaderBytes)
	}
	if srv.IdleTimeout <= 0 {
		t.Errorf("IdleTimeout = %v", srv.IdleTimeout)
	}
	if srv.WriteTimeout != 0 || srv.ReadTimeout != 0 {
		t.Errorf("Read/WriteTimeout %v/%v would cut long-lived streams", srv.ReadTimeout, srv.WriteTimeout)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 256<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("256 KiB header: status %d, want 431", resp.StatusCode)
	}
}
