package tools

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

// cardTools are the only tools whose results render as a card: writes show
// their diff, handoffs their plan. Everything else stays plain text.
var cardTools = map[string]bool{
	"write": true, "edit": true, "apply_patch": true,
	"handoff_to_agent": true, "handoff_to_codex": true, "export_pro_context": true,
}

// cardCSP allows the widget no connections and no external resources.
func cardCSP() map[string]any {
	return map[string]any{
		"ui":                         map[string]any{"prefersBorder": true, "csp": map[string]any{"connectDomains": []string{}, "resourceDomains": []string{}}},
		"openai/widgetCSP":           map[string]any{"connect_domains": []string{}, "resource_domains": []string{}},
		"openai/widgetPrefersBorder": true,
		"openai/widgetDescription":   "Shows the diff of a CodexPro write, edit or patch, or the plan a handoff wrote.",
	}
}

// RegisterCards adds the widget resource and points the card tools at it,
// when CODEXPRO_TOOL_CARDS is on and this is not a connection test.
func RegisterCards(s *server.MCPServer, cfg Config, ts []Tool) []Tool {
	if !cfg.ToolCards || cfg.ConnectionTest {
		return ts
	}
	s.AddResource(mcp.NewResource(CardURI, "codexpro-tool-card", mcp.WithMIMEType(cardMIME),
		mcp.WithResourceDescription("CodexPro Tool Card")),
		func(ctx context.Context, r mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			return []mcp.ResourceContents{mcp.TextResourceContents{URI: CardURI, MIMEType: cardMIME, Text: cardHTML,
				Meta: cardCSP()}}, nil
		})
	out := make([]Tool, len(ts))
	for i, t := range ts {
		if cardTools[t.Name] {
			t.Def.Meta = mcp.NewMetaFromMap(map[string]any{
				"ui": map[string]any{"resourceUri": CardURI}, "openai/outputTemplate": CardURI,
			})
		}
		out[i] = t
	}
	return out
}
