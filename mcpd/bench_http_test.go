package mcpd

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/httpd"
)

const benchToken = "bench-token-0123456789abcdef0123456789"

// BenchmarkReadHTTP is one `read` of a 10 KB file over loopback HTTP
// through the guard and mcp-go's Streamable HTTP handler, each parallel
// client with its own session on a keep-alive connection, as mcpbench
// does, 16 per core. CPU per call covers both ends (client and server share the process).
func BenchmarkReadHTTP(b *testing.B) {
	sessions := httpd.NewSessions()
	mcp := httpd.NewEndpoint(NewMCPServer(benchEnv(b), sessions.Hook), sessions, zerolog.Nop(), 0)
	ts := httptest.NewUnstartedServer(nil)
	port := ts.Listener.Addr().(*net.TCPAddr).Port
	ts.Config.Handler = httpd.Handler(mcp, httpd.Options{Token: benchToken, BindHost: "127.0.0.1", Port: port, Log: zerolog.Nop()})
	ts.Start()
	b.Cleanup(ts.Close)
	b.Cleanup(func() { _ = mcp.Shutdown(b.Context()) })
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	url := ts.URL + "/mcp"
	cpu0 := cpuTime()
	b.SetParallelism(16) // 32 clients on 2 cores, as mcpbench runs
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := benchHTTPClient{url: url, hc: hc}
		c.post(b, `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`)
		for pb.Next() {
			if body := c.post(b, strings.Replace(benchReadMsg, `"id":1`, `"id":`+strconv.FormatInt(c.id.Add(1), 10), 1)); !bytes.Contains(body, []byte(`"sha256"`)) {
				b.Fatalf("unexpected answer: %.300s", body)
			}
		}
	})
	reportCPU(b, cpu0)
}

type benchHTTPClient struct {
	url, session string
	hc           *http.Client
	id           atomic.Int64
}

func (c *benchHTTPClient) post(b *testing.B, body string) []byte {
	req, _ := http.NewRequest(http.MethodPost, c.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+benchToken)
	if c.session != "" { // after initialize, as real clients do
		req.Header.Set("Mcp-Session-Id", c.session)
		req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("HTTP %d %v: %.300s", resp.StatusCode, err, data)
	}
	if s := resp.Header.Get("Mcp-Session-Id"); s != "" {
		c.session = s
	}
	return data
}
