package mcpd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// stdioPeer is a client wired to ServeStdio over in-process pipes.
type stdioPeer struct {
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
}

func startStdio(t *testing.T) *stdioPeer {
	t.Helper()
	srv := NewMCPServer(benchEnv(t))
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	p := &stdioPeer{in: inW, out: bufio.NewReaderSize(outR, 1<<20), done: make(chan error, 1)}
	go func() {
		p.done <- ServeStdio(t.Context(), srv, inR, outW, zerolog.Nop())
		outW.Close()
	}()
	t.Cleanup(func() { inW.Close(); outR.Close() })
	return p
}

func (p *stdioPeer) write(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(p.in, s); err != nil {
		t.Fatal(err)
	}
}

// answer reads one line and decodes it as a JSON-RPC answer.
func (p *stdioPeer) answer(t *testing.T) rpcAnswer {
	t.Helper()
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	var a rpcAnswer
	if err := json.Unmarshal(line, &a); err != nil {
		t.Fatalf("answer is not one JSON message: %v\n%.300s", err, line)
	}
	return a
}

type rpcAnswer struct {
	ID     any             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func readCall(id int) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"read","arguments":{"path":"small.go"}}}`+"\n", id)
}

func TestStdioServesAndEndsAtEOF(t *testing.T) {
	p := startStdio(t)
	p.write(t, `{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`+"\n")
	if a := p.answer(t); a.ID != "init" || a.Error != nil || !bytes.Contains(a.Result, []byte(`"protocolVersion":"2025-06-18"`)) {
		t.Fatalf("initialize: %+v %s", a, a.Result)
	}
	p.write(t, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
	p.write(t, `{"jsonrpc":"2.0","id":99,"result":{}}`+"\n") // a response from the client: no answer
	// The last message may end without a newline; it is still served.
	p.write(t, strings.TrimSuffix(readCall(1), "\n"))
	p.in.Close()
	if a := p.answer(t); a.ID != float64(1) || a.Error != nil || !bytes.Contains(a.Result, []byte("hello world")) {
		t.Fatalf("read: %+v %.200s", a, a.Result)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("ServeStdio after EOF: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeStdio did not return after EOF")
	}
	if extra, err := p.out.ReadBytes('\n'); len(extra) > 0 || err == nil {
		t.Fatalf("unexpected extra output: %s", extra)
	}
}

func TestStdioMalformedInputGetsParseError(t *testing.T) {
	p := startStdio(t)
	for _, bad := range []string{`{"jsonrpc":"2.0","id":1,`, `not json`, `[1,2]`} {
		p.write(t, bad+"\n")
		if a := p.answer(t); a.Error == nil || a.Result != nil {
			t.Fatalf("%q: want an error answer, got %+v", bad, a)
		}
	}
	p.write(t, readCall(2))
	if a := p.answer(t); a.Error != nil {
		t.Fatalf("a good call after bad input failed: %+v", a.Error)
	}
}

// An oversized line is refused with an error naming the limit, costs no
// more than the limit in memory, and the stream stays in step.
func TestStdioOversizedMessageRefused(t *testing.T) {
	p := startStdio(t)
	go func() {
		huge := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","arguments":{"path":"` +
			strings.Repeat("a", maxStdioMessage) + `"}}}` + "\n"
		_, _ = io.WriteString(p.in, huge)
		_, _ = io.WriteString(p.in, readCall(2))
	}()
	a := p.answer(t)
	if a.Error == nil || a.ID != nil || !strings.Contains(a.Error.Message, fmt.Sprint(maxStdioMessage)) {
		t.Fatalf("oversized message: want a parse error naming the limit, got %+v", a)
	}
	if a := p.answer(t); a.ID != float64(2) || a.Error != nil {
		t.Fatalf("the call after the oversized one: %+v", a)
	}
}

// Many requests in flight at once, past the concurrency bound: every one
// is answered, each answer a whole line of its own.
func TestStdioConcurrentRequestsAnsweredWhole(t *testing.T) {
	p := startStdio(t)
	const n = 4 * maxStdioInFlight
	go func() {
		for i := range n {
			_, _ = io.WriteString(p.in, readCall(i))
		}
	}()
	seen := map[float64]bool{}
	for range n {
		a := p.answer(t)
		id, _ := a.ID.(float64)
		if a.Error != nil || seen[id] || !bytes.Contains(a.Result, []byte("hello world")) {
			t.Fatalf("answer %v: %+v (seen before: %v)", a.ID, a.Error, seen[id])
		}
		seen[id] = true
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("pipe closed by the client") }

func TestStdioWriteFailureStopsServer(t *testing.T) {
	srv := NewMCPServer(benchEnv(t))
	inR, inW := io.Pipe()
	defer inW.Close()
	done := make(chan error, 1)
	go func() { done <- ServeStdio(context.Background(), srv, inR, failingWriter{}, zerolog.Nop()) }()
	_, _ = io.WriteString(inW, readCall(1))
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "write stdout") {
			t.Fatalf("want a write stdout error, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeStdio kept running after stdout failed")
	}
}

// Cancelling the server while requests keep arriving ends it cleanly:
// every request that started is finished first, none starts after.
func TestStdioCancelDuringFlood(t *testing.T) {
	srv := NewMCPServer(benchEnv(t))
	inR, inW := io.Pipe()
	defer inW.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeStdio(ctx, srv, inR, io.Discard, zerolog.Nop()) }()
	go func() {
		for i := 0; ; i++ {
			if _, err := io.WriteString(inW, readCall(i)); err != nil {
				return
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ServeStdio after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeStdio did not return after cancel")
	}
}
