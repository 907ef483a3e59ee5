package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// protoCase is one malformed or unusual message and the JSON-RPC answer
// every transport must give it: the error code (0: a result) and the id,
// byte for byte.
type protoCase struct {
	name, msg, id string
	code          int
}

func protoCases() []protoCase {
	return []protoCase{
		{"id above 2^53 (ping)", `{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}`, `9007199254740993`, 0},
		{"id above 2^53 (tools/call)", `{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/call","params":{"name":"read","arguments":{"path":"README.md"}}}`, `9007199254740993`, 0},
		{"id above 2^64", `{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"tools/list"}`, `123456789012345678901234567890`, 0},
		{"params a string", `{"jsonrpc":"2.0","id":11,"method":"tools/call","params":"bogus"}`, `11`, rpcInvalidParams},
		{"cursor a number", `{"jsonrpc":"2.0","id":12,"method":"tools/list","params":{"cursor":123}}`, `12`, rpcInvalidParams},
		{"big id, bad params", `{"jsonrpc":"2.0","id":9007199254740995,"method":"tools/list","params":{"cursor":1}}`, `9007199254740995`, rpcInvalidParams},
		{"id null", `{"jsonrpc":"2.0","id":null,"method":"ping"}`, `null`, rpcInvalidRequest},
		{"empty batch", `[]`, `null`, rpcInvalidRequest},
		{"a string", `"just a string"`, `null`, rpcInvalidRequest},
		{"batch after 2025-06-18", `[{"jsonrpc":"2.0","id":13,"method":"ping"}]`, `null`, rpcInvalidRequest},
	}
}

// answerIDCode reads one JSON-RPC answer (plain or one SSE event).
func answerIDCode(t *testing.T, body []byte) (string, int) {
	t.Helper()
	if i := bytes.Index(body, []byte("data: ")); i >= 0 {
		body = bytes.SplitN(body[i+len("data: "):], []byte("\n"), 2)[0]
	}
	var a struct {
		ID    json.RawMessage     `json:"id"`
		Error *struct{ Code int } `json:"error"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("not one JSON-RPC answer: %v\n%.300s", err, body)
	}
	if a.Error == nil {
		return string(a.ID), 0
	}
	return string(a.ID), a.Error.Code
}

// TestProtocolStrictAnswers sends each case over HTTP, on mcpd's direct
// tools/call path (a protocol version header in a fresh session) and on
// mcp-go's (no header), and over stdio, and checks the exact code and id.
func TestProtocolStrictAnswers(t *testing.T) {
	srv := startHTTP(t, "protocol")
	resp := rawDo(t, srv, rawCase{name: "initialize", edit: bearer(srv.Token),
		body: strings.Replace(initializeBody, "2025-11-25", "2025-06-18", 1)}, "")
	session := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != http.StatusOK || session == "" {
		t.Fatalf("initialize: %d", resp.StatusCode)
	}
	for _, path := range []struct{ name, version string }{{"http direct path", "2025-06-18"}, {"http mcp-go path", ""}} {
		t.Run(path.name, func(t *testing.T) {
			for _, c := range protoCases() {
				req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(c.msg))
				req.Header.Set("Authorization", "Bearer "+srv.Token)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json, text/event-stream")
				req.Header.Set("Mcp-Session-Id", session)
				if path.version != "" {
					req.Header.Set("Mcp-Protocol-Version", path.version)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if id, code := answerIDCode(t, body); id != c.id || code != c.code {
					t.Errorf("%s: got id %s code %d, want id %s code %d\n%.300s", c.name, id, code, c.id, c.code, body)
				}
			}
		})
	}
	t.Run("http without a session id", func(t *testing.T) {
		status, body := post(t, srv, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, bearer(srv.Token))
		if status != http.StatusBadRequest {
			t.Fatalf("want 400, got %d %s", status, body)
		}
	})
	t.Run("stdio", func(t *testing.T) {
		s := needSuite(t)
		lines := []string{strings.Replace(initializeBody, "2025-11-25", "2025-06-18", 1), `{"jsonrpc":"2.0","method":"notifications/initialized"}`}
		for _, c := range protoCases() {
			lines = append(lines, c.msg)
		}
		out := pipeStdio(t, s, lines)
		if len(out) != len(protoCases())+1 {
			t.Fatalf("want %d answers, got %d:\n%s", len(protoCases())+1, len(out), bytes.Join(out, []byte("\n")))
		}
		// Answers may come in any order: match them by id, the id-null
		// ones in order of the cases.
		byID := map[string][]int{}
		for _, line := range out { // the initialize answer too: any order
			id, code := answerIDCode(t, line)
			byID[id] = append(byID[id], code)
		}
		for _, c := range protoCases() {
			codes := byID[c.id]
			if len(codes) == 0 || !slices.Contains(codes, c.code) {
				t.Errorf("%s: no answer with id %s and code %d (got %v)", c.name, c.id, c.code, codes)
			}
		}
	})
}

// pipeStdio writes lines to mcpd --transport stdio, closes stdin, and
// returns every line mcpd wrote before it exited by itself.
func pipeStdio(t *testing.T, s *suiteState, lines []string) [][]byte {
	t.Helper()
	tg := stdioTarget(s)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tg.Argv[0], tg.Argv[1:]...)
	cmd.Env = tg.Env
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	cmd.Stderr = s.log.writer("mcpd stdio (piped) stderr")
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("mcpd stdio after stdin closed: %v (it must exit 0 by itself)", err)
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(make([]byte, 1<<20), 32<<20)
	for sc.Scan() {
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	return out
}

// TestStdioClosedStdinAnswersEverything pipes requests into mcpd and closes
// stdin at once, as a strict client or a shell pipe does: every request
// gets its real answer (none cancelled), git_status reports the modified
// tree, and mcpd exits by itself.
func TestStdioClosedStdinAnswersEverything(t *testing.T) {
	s := needSuite(t)
	call := func(id int, tool, args string) string {
		return `{"jsonrpc":"2.0","id":` + strconv.Itoa(id) + `,"method":"tools/call","params":{"name":"` + tool + `","arguments":` + args + `}}`
	}
	lines := []string{initializeBody, `{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		call(2, "search", `{"query":"`+searchNeedle+`"}`),
		call(3, "git_status", `{}`),
		call(4, "read", `{"path":"README.md"}`),
		call(5, "tree", `{}`),
		`{"jsonrpc":"2.0","id":6,"method":"tools/list"}`,
	}
	out := pipeStdio(t, s, lines)
	got := map[string]string{}
	for _, line := range out {
		id, code := answerIDCode(t, line)
		if code != 0 || bytes.Contains(line, []byte(`"isError":true`)) || bytes.Contains(line, []byte("cancel")) {
			t.Errorf("answer %s is an error or was cancelled: %.300s", id, line)
		}
		got[id] = string(line)
	}
	for _, id := range []string{"1", "2", "3", "4", "5", "6"} {
		if got[id] == "" {
			t.Errorf("request %s got no answer", id)
		}
	}
	if !strings.Contains(got["2"], searchNeedle) {
		t.Errorf("search: %.300s", got["2"])
	}
	if !strings.Contains(got["3"], `"changed":true`) {
		t.Errorf("git_status must report the fixture's changes: %.400s", got["3"])
	}
}
