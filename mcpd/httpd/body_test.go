package httpd

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// countingReader yields n bytes of 'x' and counts how many were taken.
type countingReader struct {
	left int64
	read atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), c.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	c.left -= n
	c.read.Add(n)
	return int(n), nil
}

func TestBodyTooLarge(t *testing.T) {
	var innerCalls atomic.Int32
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		innerCalls.Add(1)
		okHandler(w, r)
	})
	s := startGuard(t, inner, Options{})
	const size = 50 << 20
	cases := []struct {
		name    string
		chunked bool
	}{
		{"declared Content-Length", false},
		{"chunked, no length", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := &countingReader{left: size}
			resp, body := s.do(t, "POST", "/mcp", src, func(r *http.Request) {
				bearer(testToken)(r)
				if c.chunked {
					r.ContentLength = -1
				} else {
					r.ContentLength = size
				}
			})
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413", resp.StatusCode)
			}
			if body != payloadTooLarge || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("body %q (%s), want the JSON-RPC error", body, resp.Header.Get("Content-Type"))
			}
			if sent := src.read.Load(); sent >= size {
				t.Fatalf("the whole %d-byte body was consumed", sent)
			}
		})
	}
	if n := innerCalls.Load(); n != 0 {
		t.Fatalf("inner handler ran %d times for oversized bodies", n)
	}
	// The server keeps serving.
	resp, body := s.do(t, "POST", "/mcp", strings.NewReader(`{"jsonrpc":"2.0"}`), bearer(testToken))
	if resp.StatusCode != 200 || body != "ok 17" {
		t.Fatalf("normal request after 413: status %d, body %q", resp.StatusCode, body)
	}
}

func TestBodyLimitBoundary(t *testing.T) {
	s := startGuard(t, okHandler, Options{MaxBodyBytes: 1024})
	for _, c := range []struct {
		size    int
		chunked bool
		want    int
	}{
		{1024, false, 200},
		{1025, false, 413},
		{1024, true, 200},
		{1025, true, 413},
		{0, false, 200},
	} {
		resp, body := s.do(t, "POST", "/mcp", strings.NewReader(strings.Repeat("a", c.size)), func(r *http.Request) {
			bearer(testToken)(r)
			if c.chunked {
				r.ContentLength = -1
			}
		})
		if resp.StatusCode != c.want {
			t.Fatalf("%d bytes (chunked %v): status %d, want %d", c.size, c.chunked, resp.StatusCode, c.want)
		}
		if c.want == 200 && body != "ok "+itoa(c.size) {
			t.Fatalf("inner handler got %q, want the whole body", body)
		}
	}
}

// An unauthenticated client cannot make the server read a body at all.
func TestBodyNotReadBeforeAuth(t *testing.T) {
	s := startGuard(t, okHandler, Options{})
	src := &countingReader{left: 50 << 20}
	resp, _ := s.do(t, "POST", "/mcp", src, func(r *http.Request) { r.ContentLength = -1 })
	if resp.StatusCode != 401 {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
	if sent := src.read.Load(); sent >= 50<<20 {
		t.Fatalf("server drained %d bytes from an unauthenticated client", sent)
	}
}
