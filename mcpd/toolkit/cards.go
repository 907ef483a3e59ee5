package toolkit

import (
	"context"
	_ "embed"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// CardURI is the Apps SDK widget that renders diffs and handoff summaries.
const CardURI = "ui://widget/codexpro-tool-card-v10.html"

const cardMIME = "text/html;profile=mcp-app"

//go:embed cardui/card.html
var cardHTML string

// cardMeta allows the widget no connections and no external resources, and
// names the origin ChatGPT serves it from (--widget-domain), as CodexPro
// 0.30 does: the host renders the widget in a sandbox on that domain.
func cardMeta(domain string) map[string]any {
	return map[string]any{
		"ui":                         map[string]any{"prefersBorder": true, "domain": domain, "csp": map[string]any{"connectDomains": []string{}, "resourceDomains": []string{}}},
		"openai/widgetCSP":           map[string]any{"connect_domains": []string{}, "resource_domains": []string{}},
		"openai/widgetDomain":        domain,
		"openai/widgetPrefersBorder": true,
		"openai/widgetDescription":   "Shows the diff of a CodexPro write, edit or patch, or the plan a handoff wrote.",
	}
}

// RegisterCards adds the widget resource and points the tools with the Card
// trait at it (writes show their diff, handoffs their plan; everything else
// stays plain text), when CODEXPRO_TOOL_CARDS is on and this is not a
// connection test.
func RegisterCards(s *server.MCPServer, cfg Config, ts []Tool) []Tool {
	if !cfg.ToolCards || cfg.ConnectionTest {
		return ts
	}
	s.AddResource(mcp.NewResource(CardURI, "codexpro-tool-card", mcp.WithMIMEType(cardMIME),
		mcp.WithResourceDescription("CodexPro Tool Card")),
		func(ctx context.Context, r mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: CardURI, MIMEType: cardMIME, Text: cardHTML,
				Meta: cardMeta(cfg.WidgetDomain)}}, nil
		})
	out := make([]Tool, len(ts))
	for i, t := range ts {
		if t.Traits.Has(Card) {
			t.Def.Meta = mcp.NewMetaFromMap(map[string]any{
				"ui": map[string]any{"resourceUri": CardURI}, "openai/outputTemplate": CardURI,
			})
		}
		out[i] = t
	}
	return out
}
