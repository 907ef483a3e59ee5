package tools

import (
	"context"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"codexpro.dev/mcpd/toolkit"
)

func TestToolCards(t *testing.T) {
	cfg := defaultTestConfig()
	s := server.NewMCPServer("t", "0")
	if got := toolkit.RegisterCards(s, cfg, All()); got[0].Def.Meta != nil {
		t.Fatal("cards off, but a tool carries card meta")
	}
	cfg.ToolCards = true
	cfg.WidgetDomain = "https://widgets.example.com"
	for _, tl := range toolkit.RegisterCards(s, cfg, All()) {
		hasCard := tl.Def.Meta != nil && tl.Def.Meta.AdditionalFields["openai/outputTemplate"] == toolkit.CardURI
		if hasCard != tl.Traits.Has(toolkit.Card) {
			t.Errorf("%s: card = %v", tl.Name, hasCard)
		}
	}
	res := s.HandleMessage(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"`+toolkit.CardURI+`"}}`))
	resp, ok := res.(mcp.JSONRPCResponse)
	if !ok {
		t.Fatalf("resources/read = %#v", res)
	}
	rr := resp.Result.(mcp.ReadResourceResult)
	tc := rr.Contents[0].(mcp.TextResourceContents)
	if tc.MIMEType != "text/html;profile=mcp-app" || !strings.Contains(tc.Text, "default-src 'none'") {
		t.Fatalf("widget resource = %s", tc.MIMEType)
	}
	for _, banned := range []string{"http://", "https://", "fetch(", "XMLHttpRequest", "innerHTML"} {
		if strings.Contains(tc.Text, banned) {
			t.Errorf("widget contains %q: it must not reach the network or inject HTML", banned)
		}
	}
	if tc.Meta["openai/widgetDomain"] != "https://widgets.example.com" || tc.Meta["ui"].(map[string]any)["domain"] != "https://widgets.example.com" {
		t.Errorf("widget domain not applied (--widget-domain): %v", tc.Meta)
	}
	csp := tc.Meta["openai/widgetCSP"].(map[string]any)
	if len(csp["connect_domains"].([]string)) != 0 || len(csp["resource_domains"].([]string)) != 0 {
		t.Error("widget CSP allows a domain")
	}
}
