package wire

import (
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func TestInspect(t *testing.T) {
	cases := []struct {
		msg, id string // id: the refusal's id, or the message's kept id
		code    int    // 0: accepted
	}{
		{`{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}`, `9007199254740993`, 0},
		{`{"jsonrpc":"2.0","id": "x<y" ,"method":"ping","params":null}`, `"x<y"`, 0},
		{`{"jsonrpc":"2.0","method":"notifications/initialized"}`, ``, 0},
		{`{"jsonrpc":"2.0","id":1,"result":{}}`, `1`, 0},
		{`{"jsonrpc":"2.0","id":null,"method":"ping"}`, `null`, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0","id":true,"method":"ping"}`, `null`, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0","id":[1],"method":"ping"}`, `null`, mcp.INVALID_REQUEST},
		{`{"id":1,"method":"ping"}`, `1`, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0","id":1,"method":5}`, `1`, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0","id":1,"method":""}`, `1`, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0","id":1}`, `1`, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"bogus"}`, `1`, mcp.INVALID_PARAMS},
		{`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":7}`, `1`, mcp.INVALID_PARAMS},
		{`"just a string"`, `null`, mcp.INVALID_REQUEST},
		{`[]`, `null`, mcp.INVALID_REQUEST},
		{`{"jsonrpc":"2.0",`, `null`, mcp.PARSE_ERROR},
		{``, `null`, mcp.PARSE_ERROR},
	}
	for _, c := range cases {
		m, refusal := Inspect([]byte(c.msg))
		switch {
		case c.code == 0 && refusal != nil:
			t.Errorf("%s: refused: %+v", c.msg, refusal.Error)
		case c.code == 0 && string(m.ID) != c.id:
			t.Errorf("%s: id %s, want %s", c.msg, m.ID, c.id)
		case c.code != 0 && (refusal == nil || refusal.Error.Code != c.code):
			t.Errorf("%s: want code %d, got %+v", c.msg, c.code, refusal)
		case c.code != 0:
			line, _ := Line(nil, *refusal)
			var back struct{ ID json.RawMessage }
			if json.Unmarshal(line, &back) != nil || string(back.ID) != c.id {
				t.Errorf("%s: refusal id %s, want %s", c.msg, back.ID, c.id)
			}
		}
	}
}

// Finish puts the id back as sent, on every kind of answer and through
// the direct tool-result encoding, and turns mcp-go's -32600 for params
// that do not decode into -32602.
func TestFinishEchoesIDAndFixesParamsCode(t *testing.T) {
	raw := []byte(`{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/list","params":{"cursor":123}}`)
	m, _ := Inspect(raw)
	mangled := mcp.NewRequestId(float64(9007199254740993))
	for _, resp := range []mcp.JSONRPCMessage{
		mcp.NewJSONRPCResultResponse(mangled, mcp.EmptyResult{}),
		mcp.NewJSONRPCResultResponse(mangled, mcp.NewToolResultText("x")),
		mcp.NewJSONRPCError(mangled, mcp.INVALID_REQUEST, "unparsable", nil),
	} {
		line, err := Line(nil, Finish(m, raw, resp))
		var back struct {
			ID    json.RawMessage
			Error *struct{ Code int }
		}
		if err != nil || json.Unmarshal(line, &back) != nil || string(back.ID) != "9007199254740993" {
			t.Fatalf("%T: %s %v", resp, line, err)
		}
		if back.Error != nil && back.Error.Code != mcp.INVALID_PARAMS {
			t.Fatalf("params error code %d", back.Error.Code)
		}
	}
	// A -32600 for a request whose params do decode stays -32600.
	ok := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}`)
	m, _ = Inspect(ok)
	if e := Finish(m, ok, mcp.NewJSONRPCError(mcp.NewRequestId(int64(1)), mcp.INVALID_REQUEST, "x", nil)).(mcp.JSONRPCError); e.Error.Code != mcp.INVALID_REQUEST {
		t.Fatalf("code changed to %d", e.Error.Code)
	}
}

func TestBatchLine(t *testing.T) {
	bad := mcp.NewJSONRPCResultResponse(mcp.NewRequestId(int64(2)), map[string]any{"c": make(chan int)})
	line, err := BatchLine([]byte("p"), []mcp.JSONRPCMessage{mcp.NewJSONRPCResultResponse(mcp.NewRequestId(int64(1)), mcp.EmptyResult{}), bad})
	want := `p[{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","id":2,"error":{"code":-32603,"message":"the result could not be encoded"}}]` + "\n"
	if err == nil || string(line) != want {
		t.Fatalf("got %s (%v)", line, err)
	}
}

// BenchmarkInspect is the check every message gets before mcp-go sees it,
// on the message clients send most: a tools/call with a numeric id.
func BenchmarkInspect(b *testing.B) {
	msg := []byte(`{"jsonrpc":"2.0","id":17,"method":"tools/call","params":{"name":"read","arguments":{"path":"small.go"}}}`)
	for b.Loop() {
		if _, refusal := Inspect(msg); refusal != nil {
			b.Fatal(refusal.Error.Message)
		}
	}
}

// TestAnswerLineIsLineOfFinish: the answer written with the id as it goes
// is byte for byte the answer Finish would give Line, for tool results
// (plain, with structured content, an error, a string id with characters
// encoding/json escapes) and everything else.
func TestAnswerLineIsLineOfFinish(t *testing.T) {
	structured := mcp.NewToolResultText("a <b> & \"c\"\n")
	structured.RawStructuredContent = json.RawMessage(`{ "path": "x.go", "n": 1 }`)
	failed := mcp.NewToolResultError("CodexProError: no")
	mangled := mcp.NewRequestId(int64(7))
	for _, raw := range []string{
		`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"read"}}`,
		`{"jsonrpc":"2.0","id":"x<y>&z","method":"tools/call","params":{"name":"read"}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
	} {
		m, refusal := Inspect([]byte(raw))
		if refusal != nil {
			t.Fatal(refusal.Error.Message)
		}
		for _, resp := range []mcp.JSONRPCMessage{
			mcp.NewJSONRPCResultResponse(mangled, mcp.NewToolResultText("plain")),
			mcp.NewJSONRPCResultResponse(mangled, structured),
			mcp.NewJSONRPCResultResponse(mangled, failed),
			mcp.NewJSONRPCResultResponse(mangled, mcp.EmptyResult{}),
			mcp.NewJSONRPCError(mangled, mcp.INVALID_REQUEST, "unparsable", nil),
		} {
			want, werr := Line(nil, Finish(m, []byte(raw), resp))
			got, gerr := AnswerLine([]byte("kept:"), m, []byte(raw), resp)
			if string(got) != "kept:"+string(want) || (gerr == nil) != (werr == nil) {
				t.Fatalf("%s, %T:\n got %s (%v)\nwant %s (%v)", raw, resp, got, gerr, want, werr)
			}
		}
	}
}
