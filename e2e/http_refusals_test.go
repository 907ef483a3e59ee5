package e2e

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",` +
	`"capabilities":{},"clientInfo":{"name":"codexpro-e2e-raw","version":"0.0.1"}}}`

// TestHTTPRefusals sends requests a hostile page or a guessing client would
// send. Each must get the right status, and mcpd must go on serving a real
// client afterwards.
func TestHTTPRefusals(t *testing.T) {
	srv := startHTTP(t, "refusals")
	tok := srv.Token
	cases := []struct {
		name string
		want []int
		edit func(*http.Request)
	}{
		{"no token", []int{401}, nil},
		{"wrong token", []int{401}, withHeader("Authorization", "Bearer "+strings.Repeat("0", len(tok)))},
		{"token in X-Api-Key header", []int{401}, withHeader("X-Api-Key", tok)},
		{"token in token= query parameter", []int{401}, withQuery("token", tok)},
		{"token in a cookie", []int{401}, withHeader("Cookie", "codexpro_token="+tok)},
		{"token as Basic auth", []int{401}, withHeader("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("codexpro:"+tok)))},
		{"hostile Origin", []int{403}, both(bearer(tok), withHeader("Origin", "https://evil.example"))},
		{"null Origin", []int{403}, both(bearer(tok), withHeader("Origin", "null"))},
		{"hostile Host", []int{403, 421}, both(bearer(tok), withHost("evil.example"))},
		{"hostile Host with the right port", []int{403, 421}, both(bearer(tok), withHost("evil.example:"+portOf(srv)))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := post(t, srv, initializeBody, c.edit)
			if !contains(c.want, status) {
				t.Errorf("status %d, want %v; body %q", status, c.want, body)
			}
			proveServing(t, srv)
		})
	}
	for _, chunked := range []bool{false, true} {
		name := "50 MB body with Content-Length"
		if chunked {
			name = "50 MB chunked body"
		}
		t.Run(name, func(t *testing.T) {
			status, body := postHuge(t, srv, 50<<20, chunked)
			if status != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413; body %q", status, body)
			}
			proveServing(t, srv)
		})
	}
	// Controls: the two accepted places do get in, so the 401s above are
	// about the token's place, not a server that refuses everything.
	accepted := []struct {
		name string
		edit func(*http.Request)
	}{
		{"bearer with a lower-case scheme", withHeader("Authorization", "bearer "+tok)},
		{"codexpro_token query parameter", withQuery("codexpro_token", tok)},
	}
	for _, c := range accepted {
		t.Run("accepted: "+c.name, func(t *testing.T) {
			if status, body := post(t, srv, initializeBody, c.edit); status != 200 {
				t.Errorf("status %d, want 200; body %q", status, body)
			}
		})
	}
	t.Run("healthz needs the token", func(t *testing.T) {
		if status, _ := get(t, srv, "/healthz", nil); status != 401 {
			t.Errorf("GET /healthz without token: status %d, want 401", status)
		}
		status, body := get(t, srv, "/healthz", bearer(tok))
		if status != 200 || !strings.Contains(strings.ReplaceAll(body, " ", ""), `"ok":true`) {
			t.Errorf("GET /healthz with token: status %d, body %q; want 200 with \"ok\":true", status, body)
		}
	})
}

// proveServing makes a real client call and checks its content: the
// refusal before it did not break mcpd.
func proveServing(t *testing.T, srv *httpServer) {
	t.Helper()
	srv.alive(t)
	c := callTool("read", map[string]any{"path": "README.md"})
	sess := goClient{}.Run(t, httpTarget(srv), []call{c})
	if r := sess.Replies[0].ok(t, c); !strings.Contains(r.text(), readmeCanary) {
		t.Fatalf("after the refusal, read README.md returned %s", r.all())
	}
}

func post(t *testing.T, srv *httpServer, body string, edit func(*http.Request)) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", srv.URL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	return send(t, req, edit)
}

func get(t *testing.T, srv *httpServer, path string, edit func(*http.Request)) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+srv.Host+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, req, edit)
}

func send(t *testing.T, req *http.Request, edit func(*http.Request)) (int, string) {
	t.Helper()
	if edit != nil {
		edit(req)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	suite.log.add("raw HTTP response "+req.Method+" "+req.URL.Path, data)
	return resp.StatusCode, string(data)
}

// postHuge sends size bytes over a raw connection and reads the answer
// while still writing: mcpd answers 413 early and closes, which a plain
// http.Client would report as a broken pipe instead of the status.
func postHuge(t *testing.T, srv *httpServer, size int, chunked bool) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	head := fmt.Sprintf("POST /mcp HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n", srv.Host, srv.Token)
	if chunked {
		head += "Transfer-Encoding: chunked\r\n\r\n"
	} else {
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
	}
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		writeHugeBody(conn, head, size, chunked)
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no HTTP response to a %d-byte body: %v", size, err)
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	conn.Close()
	<-wrote
	suite.log.add("raw HTTP response to a huge body", data)
	return resp.StatusCode, string(data)
}

// writeHugeBody writes a JSON-RPC call whose argument makes it size bytes.
// Write errors are expected once mcpd has refused and closed.
func writeHugeBody(w io.Writer, head string, size int, chunked bool) {
	prefix := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","arguments":{"path":"`
	suffix := `"}}}`
	if _, err := io.WriteString(w, head); err != nil {
		return
	}
	fill := strings.Repeat("a", 1<<20)
	body := io.MultiReader(strings.NewReader(prefix),
		io.LimitReader(repeatReader(fill), int64(size-len(prefix)-len(suffix))),
		strings.NewReader(suffix))
	buf := make([]byte, 1<<20)
	for {
		n, err := io.ReadFull(body, buf)
		if n > 0 {
			chunk := buf[:n]
			if chunked {
				if _, werr := fmt.Fprintf(w, "%x\r\n%s\r\n", n, chunk); werr != nil {
					return
				}
			} else if _, werr := w.Write(chunk); werr != nil {
				return
			}
		}
		if err != nil {
			break
		}
	}
	if chunked {
		_, _ = io.WriteString(w, "0\r\n\r\n")
	}
}

type repeatReader string

func (r repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r)
	}
	return n, nil
}

func bearer(tok string) func(*http.Request) { return withHeader("Authorization", "Bearer "+tok) }

func withHeader(k, v string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

func withQuery(k, v string) func(*http.Request) {
	return func(r *http.Request) {
		q := r.URL.Query()
		q.Set(k, v)
		r.URL.RawQuery = q.Encode()
	}
}

func withHost(h string) func(*http.Request) { return func(r *http.Request) { r.Host = h } }

func both(a, b func(*http.Request)) func(*http.Request) {
	return func(r *http.Request) { a(r); b(r) }
}

func portOf(srv *httpServer) string {
	_, port, _ := net.SplitHostPort(srv.Host)
	return port
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
