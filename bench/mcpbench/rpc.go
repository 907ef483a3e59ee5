package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
)

// caller exchanges one JSON-RPC request for its undecoded answer.
type caller interface {
	exchange(method string, params json.RawMessage) (id int64, answer []byte, err error)
}

// call makes one request and returns its decoded result.
func call(c caller, method string, params any) (json.RawMessage, error) {
	p, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	id, answer, err := c.exchange(method, p)
	if err != nil {
		return nil, err
	}
	return decodeAnswer(answer, id)
}

func decodeAnswer(answer []byte, id int64) (json.RawMessage, error) {
	var r rpcResponse
	if err := json.Unmarshal(answer, &r); err != nil {
		return nil, fmt.Errorf("decode response: %w", err)
	}
	if r.ID != id {
		return nil, fmt.Errorf("answer for id %d, want %d", r.ID, id)
	}
	return r.result()
}

// requestBody is one JSON-RPC request with params already encoded.
func requestBody(id int64, method string, params json.RawMessage) []byte {
	b := fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%d,"method":%q`, id, method)
	if params != nil {
		b = append(append(b, `,"params":`...), params...)
	}
	return append(b, '}')
}

// answers reports, without decoding it, whether line is the answer to id:
// both servers write compact JSON, and inside a JSON string every quote is
// escaped, so `"id":N` followed by a non-digit can only be the envelope's.
func answers(line []byte, id int64) bool {
	key := strconv.AppendInt([]byte(`"id":`), id, 10)
	for rest := line; ; {
		i := bytes.Index(rest, key)
		if i < 0 {
			return false
		}
		rest = rest[i+len(key):]
		if len(rest) == 0 || rest[0] < '0' || rest[0] > '9' {
			return true
		}
	}
}

type rpcResponse struct {
	ID     int64           `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

var initParams = map[string]any{
	"protocolVersion": "2025-06-18", "capabilities": map[string]any{},
	"clientInfo": map[string]any{"name": "codexpro-bench", "version": "1"},
}

// stdioClient speaks newline-delimited JSON-RPC to a child process, one
// request at a time, as a single MCP client does.
type stdioClient struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	id  int64
}

func startStdio(argv []string, env []string) (*stdioClient, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	c := &stdioClient{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	if _, err := call(c, "initialize", initParams); err != nil {
		c.close()
		return nil, fmt.Errorf("initialize %s: %w", argv[0], err)
	}
	return c, c.notify("notifications/initialized")
}

func (c *stdioClient) notify(method string) error {
	_, err := fmt.Fprintf(c.in, `{"jsonrpc":"2.0","method":%q}`+"\n", method)
	return err
}

func (c *stdioClient) exchange(method string, params json.RawMessage) (int64, []byte, error) {
	c.id++
	if _, err := c.in.Write(append(requestBody(c.id, method, params), '\n')); err != nil {
		return 0, nil, err
	}
	for {
		line, err := c.out.ReadBytes('\n')
		if err != nil {
			return 0, nil, fmt.Errorf("read response: %w", err)
		}
		if answers(line, c.id) {
			return c.id, line, nil
		}
	}
}

func (c *stdioClient) close() {
	_ = c.in.Close()
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
}

func (r rpcResponse) result() (json.RawMessage, error) {
	if r.Error != nil {
		return nil, fmt.Errorf("rpc error: %s", r.Error.Message)
	}
	return r.Result, nil
}

// httpClient is one MCP client over Streamable HTTP with its own session,
// reusing connections through a shared keep-alive transport.
type httpClient struct {
	url, token, session string
	hc                  *http.Client
	id                  atomic.Int64
	body                bytes.Buffer // reused: an answer is valid until the next call
}

func newHTTPClient(url, token string, hc *http.Client) (*httpClient, error) {
	c := &httpClient{url: url, token: token, hc: hc}
	if _, err := call(c, "initialize", initParams); err != nil {
		return nil, fmt.Errorf("initialize: %w", err)
	}
	return c, nil
}

func (c *httpClient) exchange(method string, params json.RawMessage) (int64, []byte, error) {
	id := c.id.Add(1)
	body := requestBody(id, method, params)
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+c.token)
	if c.session != "" { // after initialize, as real clients do
		req.Header.Set("Mcp-Session-Id", c.session)
		req.Header.Set("Mcp-Protocol-Version", initParams["protocolVersion"].(string))
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	c.body.Reset()
	if _, err := c.body.ReadFrom(resp.Body); err != nil {
		return 0, nil, err
	}
	data := c.body.Bytes()
	if resp.StatusCode != http.StatusOK {
		return 0, nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, data)
	}
	if s := resp.Header.Get("Mcp-Session-Id"); s != "" {
		c.session = s
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		data = lastSSEData(data)
	}
	return id, data, nil
}

func lastSSEData(b []byte) []byte {
	var last []byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if d, ok := bytes.CutPrefix(line, []byte("data: ")); ok {
			last = d
		}
	}
	return last
}

// toolCall calls a tool and fails on a tool error too.
func toolCall(c caller, name string, args map[string]any) (json.RawMessage, error) {
	res, err := call(c, "tools/call", map[string]any{"name": name, "arguments": args})
	if err != nil {
		return nil, err
	}
	var r struct {
		IsError bool `json:"isError"`
	}
	if json.Unmarshal(res, &r) == nil && r.IsError {
		return nil, fmt.Errorf("%s: tool error: %.300s", name, res)
	}
	return res, nil
}

// quickToolCall is toolCall for latency loops: the answer is checked for
// its id and for error flags without decoding the body (quotes inside JSON
// strings are escaped, so these keys only match the envelope); anything
// unusual is decoded in full to report it.
func quickToolCall(c caller, params json.RawMessage) error {
	id, answer, err := c.exchange("tools/call", params)
	if err != nil {
		return err
	}
	if !answers(answer, id) || bytes.Contains(answer, []byte(`"error":`)) ||
		bytes.Contains(answer, []byte(`"isError":true`)) || !bytes.Contains(answer, []byte(`"content":`)) {
		res, err := decodeAnswer(answer, id)
		if err != nil {
			return err
		}
		return fmt.Errorf("tool error: %.300s", res)
	}
	return nil
}
