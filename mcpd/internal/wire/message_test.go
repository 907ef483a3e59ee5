package wire

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// checkSameAsEncodingJSON fails unless AppendMessage writes msg exactly as
// encoding/json does (what mcp-go's transports send).
func checkSameAsEncodingJSON(t testing.TB, msg mcp.JSONRPCMessage) {
	t.Helper()
	want, wantErr := json.Marshal(msg)
	got, err := AppendMessage([]byte("prefix"), msg)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("error %v, encoding/json says %v", err, wantErr)
	}
	if err == nil && !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Fatalf("direct encoding differs\n got: %s\nwant: prefix%s", got, want)
	}
}

func toolResponse(id any, res *mcp.CallToolResult) mcp.JSONRPCMessage {
	return mcp.NewJSONRPCResultResponse(mcp.NewRequestId(id), res)
}

func TestAppendMessageMatchesEncodingJSON(t *testing.T) {
	text := "package main\n\n// <b>&amp;</b> \"quoted\" \\ back\ttab \x00\x1f\x7f é 世 \u2028\u2029 \xff\xfe end"
	img := mcp.NewImageContent("aGk=", "image/png")
	annotated := mcp.NewTextContent("x")
	annotated.Annotations = &mcp.Annotations{Priority: new(0.5)}
	cases := map[string]mcp.JSONRPCMessage{
		"text":              toolResponse(1, mcp.NewToolResultText(text)),
		"string id":         toolResponse("a<b>\"c", mcp.NewToolResultText("x")),
		"error result":      toolResponse(2, mcp.NewToolResultError("no such file: <x>")),
		"no content":        toolResponse(3, &mcp.CallToolResult{Content: []mcp.Content{}}),
		"nil content":       toolResponse(4, &mcp.CallToolResult{}),
		"two texts":         toolResponse(5, &mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent("a"), mcp.NewTextContent("b")}}),
		"result type":       toolResponse(6, &mcp.CallToolResult{Result: mcp.Result{ResultType: "complete"}, Content: []mcp.Content{mcp.NewTextContent("a")}}),
		"raw structured":    toolResponse(7, &mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent("a")}, RawStructuredContent: json.RawMessage(` {"a": "<&>", "b" : [1, 2]} `)}),
		"value structured":  toolResponse(8, mcp.NewToolResultStructured(map[string]any{"z": 1, "a": "<>"}, "fallback")),
		"bad raw":           toolResponse(9, &mcp.CallToolResult{RawStructuredContent: json.RawMessage(`{"a":`)}),
		"image (fallback)":  toolResponse(10, &mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent("a"), img}}),
		"annotated (fb)":    toolResponse(11, &mcp.CallToolResult{Content: []mcp.Content{annotated}}),
		"meta (fallback)":   toolResponse(12, &mcp.CallToolResult{Result: mcp.Result{Meta: &mcp.Meta{AdditionalFields: map[string]any{"k": "v"}}}}),
		"other result":      mcp.NewJSONRPCResultResponse(mcp.NewRequestId(13), mcp.ListToolsResult{Tools: []mcp.Tool{}}),
		"error response":    mcp.NewJSONRPCError(mcp.NewRequestId(14), mcp.INVALID_PARAMS, "bad <args>", nil),
		"notification":      mcp.JSONRPCNotification{JSONRPC: "2.0", Notification: mcp.Notification{Method: "notifications/message"}},
		"nil result struct": toolResponse(15, (*mcp.CallToolResult)(nil)),
	}
	for name, msg := range cases {
		t.Run(name, func(t *testing.T) { checkSameAsEncodingJSON(t, msg) })
	}
}

// FuzzAppendMessage: for any text, result type, structured content and id,
// the direct encoding is byte for byte encoding/json's.
func FuzzAppendMessage(f *testing.F) {
	f.Add("hello <world>\n", "", `{"a":1}`, int64(1), "", false)
	f.Add("\xff\u2028\x00\"\\", "complete", `not json`, int64(-5), "str-id", true)
	f.Add("", "", "", int64(0), "", false)
	f.Fuzz(func(t *testing.T, text, resultType, structured string, num int64, strID string, isError bool) {
		var id any = num
		if strID != "" {
			id = strID
		}
		res := &mcp.CallToolResult{Result: mcp.Result{ResultType: mcp.ResultType(resultType)},
			Content: []mcp.Content{mcp.NewTextContent(text), mcp.NewTextContent(resultType)}, IsError: isError}
		if structured != "" {
			res.RawStructuredContent = json.RawMessage(structured)
		}
		checkSameAsEncodingJSON(t, toolResponse(id, res))
	})
}

// A result that cannot be encoded still answers its request, with an
// internal error; a notification that cannot be encoded sends nothing.
func TestLineAnswersUnencodableResult(t *testing.T) {
	bad := &mcp.CallToolResult{StructuredContent: map[string]any{"c": make(chan int)}}
	line, err := Line([]byte("x"), toolResponse(42, bad))
	if err == nil || string(line) != `x{"jsonrpc":"2.0","id":42,"error":{"code":-32603,"message":"the result could not be encoded"}}`+"\n" {
		t.Fatalf("got %q, %v", line, err)
	}
	note := mcp.JSONRPCNotification{JSONRPC: "2.0", Notification: mcp.Notification{Method: "m",
		Params: mcp.NotificationParams{AdditionalFields: map[string]any{"c": make(chan int)}}}}
	if line, err := Line([]byte("x"), note); err == nil || string(line) != "x" {
		t.Fatalf("notification: got %q, %v", line, err)
	}
}
