package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// target says how a client reaches mcpd.
type target struct {
	Transport string // "stdio" or "http"
	URL       string // http
	Token     string // http
	Argv      []string
	Env       []string // stdio: the whole environment of mcpd
}

// stdioTarget runs the built mcpd over stdio on the fixture.
func stdioTarget(s *suiteState) target {
	return target{Transport: "stdio", Argv: append([]string{s.mcpd}, s.mcpdArgs("stdio")...), Env: s.mcpdEnv()}
}

func httpTarget(srv *httpServer) target {
	return target{Transport: "http", URL: srv.URL, Token: srv.Token}
}

// call is one MCP request: tools/list when Tool is empty, else tools/call.
type call struct {
	Tool string
	Args map[string]any
}

func listTools() call                                { return call{} }
func callTool(name string, args map[string]any) call { return call{Tool: name, Args: args} }

func (c call) String() string {
	if c.Tool == "" {
		return "tools/list"
	}
	args, _ := json.Marshal(c.Args)
	return fmt.Sprintf("tools/call %s %s", c.Tool, args)
}

// reply is what the client reported for one call: the result object as
// JSON, or the error the client raised instead.
type reply struct {
	Raw json.RawMessage
	Err string
}

// replyOf is what a Go client reported: its result as JSON, or its error.
func replyOf(res any, err error) reply {
	if err != nil {
		return reply{Err: err.Error()}
	}
	raw, err := json.Marshal(res)
	if err != nil {
		return reply{Err: "marshal result: " + err.Error()}
	}
	return reply{Raw: raw}
}

// session is the outcome of one client connection running a list of calls.
type session struct {
	Protocol  string // negotiated protocol version, when the client reports it
	SessionID string
	Replies   []reply
}

// mcpClient is one real MCP client implementation.
type mcpClient interface {
	Name() string
	// Run connects to tg, makes the calls in order and reports each reply.
	// A failure to connect at all fails the test.
	Run(t *testing.T, tg target, calls []call) session
}

// toolResult is the part of a tools/call result the tests look at.
type toolResult struct {
	IsError           bool            `json:"isError"`
	Content           []contentItem   `json:"content"`
	StructuredContent json.RawMessage `json:"structuredContent"`
}

// contentItem is one content part: text, or an image as base64 data.
type contentItem struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Data     string `json:"data"`
	MimeType string `json:"mimeType"`
}

// text joins the text parts of the result.
func (r toolResult) text() string {
	var parts []string
	for _, c := range r.Content {
		if c.Type == "text" {
			parts = append(parts, c.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// field decodes one top-level field of the structured content into dst.
func (r toolResult) field(t *testing.T, name string, dst any) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.StructuredContent, &m); err != nil {
		t.Fatalf("structuredContent is not an object: %v: %s", err, r.StructuredContent)
	}
	raw, ok := m[name]
	if !ok {
		t.Fatalf("structuredContent has no %q field: %s", name, r.StructuredContent)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatalf("structuredContent.%s: %v: %s", name, err, raw)
	}
}

// all is everything the result says, for content checks that do not care
// where in the result a string appears.
func (r toolResult) all() string { return r.text() + "\n" + string(r.StructuredContent) }

// result decodes a tools/call reply, failing the test on a client error.
func (rp reply) result(t *testing.T, c call) toolResult {
	t.Helper()
	if rp.Err != "" {
		t.Fatalf("%s: client error instead of a result: %s", c, rp.Err)
	}
	var r toolResult
	if err := json.Unmarshal(rp.Raw, &r); err != nil {
		t.Fatalf("%s: result is not a tools/call result: %v: %s", c, err, rp.Raw)
	}
	return r
}

// ok decodes a successful tools/call reply.
func (rp reply) ok(t *testing.T, c call) toolResult {
	t.Helper()
	r := rp.result(t, c)
	if r.IsError {
		t.Fatalf("%s: tool error: %s", c, r.text())
	}
	if len(r.StructuredContent) == 0 || string(r.StructuredContent) == "null" {
		t.Fatalf("%s: no structuredContent: %s", c, rp.Raw)
	}
	if r.text() == "" {
		t.Fatalf("%s: no text content: %s", c, rp.Raw)
	}
	return r
}

// listedTool is the part of a tools/list entry the tests look at.
type listedTool struct {
	Name        string         `json:"name"`
	Annotations map[string]any `json:"annotations"`
	Output      map[string]any `json:"outputSchema"`
}

func (rp reply) tools(t *testing.T) map[string]listedTool {
	t.Helper()
	if rp.Err != "" {
		t.Fatalf("tools/list: client error: %s", rp.Err)
	}
	var res struct {
		Tools []listedTool `json:"tools"`
	}
	if err := json.Unmarshal(rp.Raw, &res); err != nil {
		t.Fatalf("tools/list: %v: %s", err, rp.Raw)
	}
	m := map[string]listedTool{}
	for _, tl := range res.Tools {
		m[tl.Name] = tl
	}
	return m
}

// record puts a session's replies into the run log for the leak scan.
func record(s *suiteState, source string, sess session) {
	for _, rp := range sess.Replies {
		s.log.add(source+" result", rp.Raw)
		if rp.Err != "" {
			s.log.add(source+" error", []byte(rp.Err))
		}
	}
}
