package httpd

import (
	"net"
	"strings"
	"testing"
)

// FuzzHostPolicy checks that whatever a client sends as Host or Origin, the
// guard only ever accepts the names it was configured with.
func FuzzHostPolicy(f *testing.F) {
	for _, seed := range []string{
		"127.0.0.1:8787", "localhost:8787", "[::1]:8787", "tunnel.example.com", "tunnel.example.com:443",
		"evil.example", "localhost.evil:8787", "[tunnel.example.com]:1", "tunnel.example.com:abc",
		"http://127.0.0.1:8787", "https://tunnel.example.com", "null", "http://user@localhost:8787",
	} {
		f.Add(seed)
	}
	p := newHostPolicy(Options{BindHost: "127.0.0.1", Port: 8787, PublicHosts: []string{"tunnel.example.com"}})
	known := map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true, "tunnel.example.com": true}
	f.Fuzz(func(t *testing.T, v string) {
		if p.acceptHost(v, "80") {
			checkKnown(t, v, known)
		}
		if p.acceptOrigin(v) {
			scheme, rest, ok := strings.Cut(strings.ToLower(v), "://")
			if !ok || (scheme != "http" && scheme != "https") {
				t.Fatalf("origin %q accepted without an http(s) scheme", v)
			}
			checkKnown(t, strings.TrimSuffix(rest, "/"), known)
		}
	})
}

func checkKnown(t *testing.T, v string, known map[string]bool) {
	t.Helper()
	host, port, err := net.SplitHostPort(strings.ToLower(v))
	if err != nil {
		host = v
	} else if !isPort(port) {
		t.Fatalf("%q accepted with port %q", v, port)
	}
	host = strings.TrimSuffix(strings.Trim(strings.ToLower(host), "[]"), ".")
	if !known[host] {
		t.Fatalf("%q accepted, host %q is not configured", v, host)
	}
}
