package tunnelctl

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestUpRealMcpd runs the real mcpd under tunnelctl and reaches it the way
// ChatGPT would: the public connector URL, through the (fake) tunnel, which
// forwards with --http-host-header so mcpd's Host check holds.
func TestUpRealMcpd(t *testing.T) {
	bin := os.Getenv("CODEXPRO_BIN")
	real := filepath.Join(bin, "mcpd")
	if _, err := os.Stat(real); bin == "" || err != nil {
		t.Skip("skipping: set CODEXPRO_BIN to a directory holding a built mcpd (make build) to run tunnelctl against the real mcpd")
	}
	r := startUp(t, func(o *Options) { o.McpdBin = real })
	base, token := r.waitReady(1)
	hc := &http.Client{Transport: edgeTransport{edges: r.edges}, Timeout: 20 * time.Second}

	resp, err := hc.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("public /healthz without a token: HTTP %d, want 401", resp.StatusCode)
	}

	c, err := client.NewStreamableHttpClient(ConnectorURL(base, token), transport.WithHTTPBasicClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var ir mcp.InitializeRequest
	ir.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	ir.Params.ClientInfo = mcp.Implementation{Name: "tunnelctl-e2e", Version: "0"}
	if _, err := c.Initialize(ctx, ir); err != nil {
		t.Fatalf("initialize through the tunnel: %v\nlog:\n%s", err, r.log)
	}
	tools, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list through the tunnel: %v", err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	if len(names) == 0 {
		t.Fatal("mcpd listed no tools through the tunnel")
	}
	t.Logf("tools through the tunnel: %s", strings.Join(names, ", "))
}

// TestUpRealMcpdOAuth: with --auth oauth the ready line carries no token,
// the public /mcp answers 401 pointing at the OAuth metadata of the public
// https origin (the name cloudflared forwarded), and the metadata itself is
// served through the tunnel without a token.
func TestUpRealMcpdOAuth(t *testing.T) {
	bin := os.Getenv("CODEXPRO_BIN")
	real := filepath.Join(bin, "mcpd")
	if _, err := os.Stat(real); bin == "" || err != nil {
		t.Skip("skipping: set CODEXPRO_BIN to a directory holding a built mcpd (make build) to run tunnelctl against the real mcpd")
	}
	r := startUp(t, func(o *Options) {
		o.McpdBin = real
		o.McpdArgs = append(o.McpdArgs, "--auth", "oauth")
		o.Exposure.Auth = "oauth"
	})
	var line string
	for deadline := time.Now().Add(20 * time.Second); line == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, l := range strings.Split(r.out.String(), "\n") {
			if strings.HasPrefix(l, ReadyLine+" ") {
				line = strings.TrimPrefix(l, ReadyLine+" ")
			}
		}
	}
	if line == "" || strings.Contains(line, "codexpro_token") || !strings.HasSuffix(line, "/mcp") {
		t.Fatalf("ready line %q: want the public /mcp URL with no token\nlog:\n%s", line, r.log)
	}
	if st := r.state(); strings.Contains(st.ConnectorURL, "token") {
		t.Fatalf("runtime file connector URL %q carries a token", st.ConnectorURL)
	}
	base := strings.TrimSuffix(line, "/mcp")
	hc := &http.Client{Transport: edgeTransport{edges: r.edges}, Timeout: 20 * time.Second}
	resp, err := hc.Post(line, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := `resource_metadata="` + base + `/.well-known/oauth-protected-resource"`
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), want) {
		t.Fatalf("public /mcp without a token: %d %q, want 401 with %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), want)
	}
	resp, err = hc.Get(base + "/.well-known/oauth-authorization-server")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var meta map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&meta); err != nil || meta["issuer"] != base {
		t.Fatalf("authorization server metadata through the tunnel: %d %v %v", resp.StatusCode, meta, err)
	}
}
