package wire

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// fields lists t's fields as "Name type `tag`", embedded structs expanded
// in place, as encoding/json sees them.
func fields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, fields(f.Type)...)
			continue
		}
		out = append(out, f.Name+" "+f.Type.String()+" `"+string(f.Tag)+"`")
	}
	return out
}

// TestDirectWriterKnowsEveryToolResultField fences the direct writer
// (appendToolResponse): it writes a CallToolResult field by field instead of
// through mcp-go's MarshalJSON, and directToolResult sends everything it does
// not write to encoding/json. A field mcp-go adds would be dropped from
// every tool result without a word; here it fails instead. When it does,
// teach directToolResult to refuse results that set the new field (or
// appendToolResponse to write it), then update the list.
func TestDirectWriterKnowsEveryToolResultField(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		want []string
	}{
		{reflect.TypeFor[mcp.CallToolResult](), []string{
			"Meta *mcp.Meta `json:\"_meta,omitempty\"`",
			"ResultType mcp.ResultType `json:\"resultType,omitempty\"`",
			"InputRequests mcp.InputRequests `json:\"inputRequests,omitempty\"`",
			"RequestState string `json:\"requestState,omitempty\"`",
			"Content []mcp.Content `json:\"content\"`",
			"StructuredContent interface {} `json:\"structuredContent,omitempty\"`",
			"RawStructuredContent json.RawMessage `json:\"-\"`",
			"IsError bool `json:\"isError,omitempty\"`",
		}},
		{reflect.TypeFor[mcp.TextContent](), []string{
			"Annotations *mcp.Annotations `json:\"annotations,omitempty\"`",
			"Meta *mcp.Meta `json:\"_meta,omitempty\"`",
			"Type string `json:\"type\"`",
			"Text string `json:\"text\"`",
		}},
	} {
		if got := fields(c.typ); !slices.Equal(got, c.want) {
			t.Errorf("mcp-go's %s changed; the direct writer in message.go must be updated:\n got  %s\n want %s",
				c.typ, strings.Join(got, "\n      "), strings.Join(c.want, "\n      "))
		}
	}
}

// BenchmarkToolResponse is what the direct writer is kept for: a read's
// 10 KB answer written directly against mcp-go's marshalling through
// encoding/json (the README's Performance section cites it).
func BenchmarkToolResponse(b *testing.B) {
	text := strings.Repeat("     1\tpackage main // a line of Go source, numbered as read returns it\n", 150)
	res := &mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent(text)},
		RawStructuredContent: json.RawMessage(`{"path":"main.go","bytes":10240,"truncated":false,"codexpro_tool":"read"}`)}
	msg := mcp.NewJSONRPCResultResponse(mcp.NewRequestId(int64(7)), res)
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = AppendMessage(buf[:0], msg)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = json.Marshal(msg)
		}
	})
}
