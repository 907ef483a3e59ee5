package httpd

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/rs/zerolog"
)

const testToken = "test-token-0123456789abcdef0123"

// okHandler is the trivial inner handler: it echoes the body length.
var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	n, _ := io.Copy(io.Discard, r.Body)
	_, _ = io.WriteString(w, "ok "+strconv.FormatInt(n, 10))
})

type testServer struct {
	*httptest.Server
	guard *Guard
	port  int
	log   *syncBuffer
}

// startGuard serves inner behind a guard on a loopback port; the options get
// the real port and bind host before the guard is built.
func startGuard(t *testing.T, inner http.Handler, o Options) *testServer {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	port := ts.Listener.Addr().(*net.TCPAddr).Port
	o.BindHost, o.Port = "127.0.0.1", port
	if o.Token == "" && !o.NoAuth {
		o.Token = testToken
	}
	buf := &syncBuffer{}
	o.Log = newTestLogger(buf)
	g := Handler(inner, o)
	ts.Config.Handler = g
	ts.Start()
	t.Cleanup(ts.Close)
	return &testServer{Server: ts, guard: g, port: port, log: buf}
}

// do sends a request with optional header edits and returns status, headers
// and body.
func (s *testServer) do(t *testing.T, method, target string, body io.Reader, edit func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+target, body)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(req)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func bearer(tok string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestLogger(w io.Writer) zerolog.Logger { return zerolog.New(w) }

func itoa(n int) string { return strconv.Itoa(n) }
