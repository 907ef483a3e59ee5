package tunnelctl

import (
	"context"
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
