package mcpd

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

func initializeLine(version string) string {
	return `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"` + version +
		`","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}` + "\n"
}

// rawAnswer reads one line and returns it, and its id and error code as
// sent (the id as raw bytes, to check them byte for byte).
func (p *stdioPeer) rawAnswer(t *testing.T) (line []byte, id string, code int) {
	t.Helper()
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	var a struct {
		ID    json.RawMessage `json:"id"`
		Error *struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(line, &a); err != nil {
		t.Fatalf("answer is not one JSON object: %v\n%.300s", err, line)
	}
	if a.Error != nil {
		code = a.Error.Code
	}
	return line, string(a.ID), code
}

// Requests JSON-RPC 2.0 calls invalid, and ids mcp-go would change, get
// the exact answer over stdio.
func TestStdioStrictJSONRPC(t *testing.T) {
	p := startStdio(t)
	p.write(t, initializeLine("2025-06-18"))
	p.rawAnswer(t)
	p.write(t, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
	cases := []struct {
		name, msg, id string
		code          int
	}{
		{"id above 2^53", `{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}`, `9007199254740993`, 0},
		{"huge id", `{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}`, `123456789012345678901234567890`, 0},
		{"string id as sent", `{"jsonrpc":"2.0","id":"a\u0041<","method":"ping"}`, `"a\u0041<"`, 0},
		{"big id on a tool call", `{"jsonrpc":"2.0","id":18014398509481985,"method":"tools/call","params":{"name":"read","arguments":{"path":"small.go"}}}`, `18014398509481985`, 0},
		{"null id", `{"jsonrpc":"2.0","id":null,"method":"ping"}`, `null`, mcp.INVALID_REQUEST},
		{"object id", `{"jsonrpc":"2.0","id":{},"method":"ping"}`, `null`, mcp.INVALID_REQUEST},
		{"params a string", `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":"bogus"}`, `7`, mcp.INVALID_PARAMS},
		{"cursor a number", `{"jsonrpc":"2.0","id":8,"method":"tools/list","params":{"cursor":123}}`, `8`, mcp.INVALID_PARAMS},
		{"tool name a number", `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":5}}`, `9`, mcp.INVALID_PARAMS},
		{"big id, bad params", `{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/list","params":{"cursor":1}}`, `9007199254740993`, mcp.INVALID_PARAMS},
		{"empty batch", `[]`, `null`, mcp.INVALID_REQUEST},
		{"a string", `"just a string"`, `null`, mcp.INVALID_REQUEST},
		{"a number", `42`, `null`, mcp.INVALID_REQUEST},
		{"wrong version", `{"jsonrpc":"1.0","id":3,"method":"ping"}`, `3`, mcp.INVALID_REQUEST},
		{"no method", `{"jsonrpc":"2.0","id":4}`, `4`, mcp.INVALID_REQUEST},
		{"batch on 2025-06-18", `[{"jsonrpc":"2.0","id":5,"method":"ping"}]`, `null`, mcp.INVALID_REQUEST},
		{"not JSON", `{"jsonrpc":`, `null`, mcp.PARSE_ERROR},
	}
	for _, c := range cases {
		p.write(t, c.msg+"\n")
		line, id, code := p.rawAnswer(t)
		if id != c.id || code != c.code {
			t.Errorf("%s: got id %s code %d, want id %s code %d\n%.300s", c.name, id, code, c.id, c.code, line)
		}
	}
}

// A 2025-03-26 session may send batches: every request in it is answered
// in one array, invalid members with their own error, notifications not
// at all; a batch of notifications gets no answer.
func TestStdioBatchOn20250326(t *testing.T) {
	p := startStdio(t)
	p.write(t, initializeLine("2025-03-26"))
	p.rawAnswer(t)
	p.write(t, `[{"jsonrpc":"2.0","method":"notifications/initialized"}]`+"\n")
	p.write(t, `[{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":77}},`+
		`{"jsonrpc":"2.0","id":"r","method":"tools/call","params":{"name":"read","arguments":{"path":"small.go"}}},1,`+
		`{"jsonrpc":"2.0","id":2,"method":"initialize","params":{}}]`+"\n")
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		t.Fatal(err)
	}
	var answers []struct {
		ID     json.RawMessage `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(line, &answers); err != nil || len(answers) != 4 {
		t.Fatalf("want an array of 4 answers (the notification batch gets none): %v\n%.500s", err, line)
	}
	want := []struct {
		id   string
		code int
	}{{`9007199254740993`, 0}, {`"r"`, 0}, {`null`, mcp.INVALID_REQUEST}, {`2`, mcp.INVALID_REQUEST}}
	for i, w := range want {
		a := answers[i]
		code := 0
		if a.Error != nil {
			code = a.Error.Code
		}
		if string(a.ID) != w.id || code != w.code {
			t.Errorf("answer %d: id %s code %d, want %s %d", i, a.ID, code, w.id, w.code)
		}
	}
	if !bytes.Contains(answers[1].Result, []byte("hello world")) {
		t.Fatalf("the tool call in the batch: %.200s", answers[1].Result)
	}
}

// slowServer has one tool that takes d unless its request is cancelled.
func slowServer(d time.Duration) *server.MCPServer {
	srv := server.NewMCPServer("t", "0")
	srv.AddTool(mcp.NewTool("slow"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		select {
		case <-time.After(d):
			return mcp.NewToolResultText("finished"), nil
		case <-ctx.Done():
			return mcp.NewToolResultError("cancelled: " + ctx.Err().Error()), nil
		}
	})
	return srv
}

// stdin closing right after the requests: each is answered in full before
// ServeStdio returns; a request past the drain timeout is cancelled and
// still answered.
func TestStdioEOFFinishesRequestsInFlight(t *testing.T) {
	run := func(tool, drain time.Duration) (string, time.Duration) {
		var in bytes.Buffer
		in.WriteString(initializeLine("2025-06-18"))
		for i := range 3 {
			in.WriteString(`{"jsonrpc":"2.0","id":` + string(rune('1'+i)) + `,"method":"tools/call","params":{"name":"slow"}}` + "\n")
		}
		var out bytes.Buffer
		start := time.Now()
		if err := serveStdio(context.Background(), slowServer(tool), &in, &out, zerolog.Nop(), drain); err != nil {
			t.Fatal(err)
		}
		return out.String(), time.Since(start)
	}
	out, _ := run(300*time.Millisecond, 10*time.Second)
	if n := strings.Count(out, `"text":"finished"`); n != 3 {
		t.Fatalf("want 3 finished answers after EOF, got %d:\n%s", n, out)
	}
	out, took := run(time.Minute, 200*time.Millisecond)
	if n := strings.Count(out, `"text":"cancelled`); n != 3 || took > 10*time.Second {
		t.Fatalf("past the drain timeout: want 3 cancelled answers quickly, got %d in %v:\n%s", n, took, out)
	}
}
