package toolkit

import (
	"context"
	"sort"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Order is a tools/list filter that restores the catalog's order: mcp-go
// sorts tools by name, CodexPro 0.30 lists them in its full order. It drops
// nothing, so it never changes which tools can be called.
func (c Catalog) Order() server.ToolFilterFunc {
	pos := map[string]int{}
	for i, t := range c {
		pos[t.Name] = i
	}
	return func(_ context.Context, ts []mcp.Tool) []mcp.Tool {
		out := append([]mcp.Tool(nil), ts...)
		sort.SliceStable(out, func(i, j int) bool { return pos[out[i].Name] < pos[out[j].Name] })
		return out
	}
}
