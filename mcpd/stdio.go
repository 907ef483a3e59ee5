package mcpd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/httpd"
	"codexpro.dev/mcpd/internal/wire"
)

// maxStdioMessage bounds one incoming line, as the HTTP body limit bounds a
// request: mcp-go's own stdio reader has no limit at all.
const maxStdioMessage = int(httpd.DefaultMaxBodyBytes)

// maxStdioInFlight bounds the requests served at once; past it the reader
// waits, so a client cannot make mcpd start goroutines without end.
const maxStdioInFlight = 32

// stdioServer is mcpd's stdio transport: newline-delimited JSON-RPC to one
// client through mcp-go's MCPServer. It is ours rather than mcp-go's
// StdioServer so that responses are encoded once (wire.AppendMessage), lines
// are bounded, and a line costs no goroutine hand-off before it is parsed.
type stdioServer struct {
	srv   *server.MCPServer
	log   zerolog.Logger
	out   io.Writer
	slots chan struct{} // one per request in flight
	bufs  wire.Buffers

	mu      sync.Mutex // one whole message per write
	failed  error      // the first write error; stops the server
	stopped context.CancelFunc
}

// ServeStdio serves srv on in and out until in ends, ctx is done or out
// cannot be written. Requests run concurrently (a long poll must not hold
// up the rest); notifications are handled in order, as they arrive.
func ServeStdio(ctx context.Context, srv *server.MCPServer, in io.Reader, out io.Writer, log zerolog.Logger) error {
	sess := newStdioSession()
	if err := srv.RegisterSession(ctx, sess); err != nil {
		return fmt.Errorf("register the stdio session: %w", err)
	}
	defer srv.UnregisterSession(context.WithoutCancel(ctx), sess.SessionID())
	ctx, cancel := context.WithCancel(srv.WithContext(ctx, sess))
	defer cancel()
	s := &stdioServer{srv: srv, log: log, out: out, slots: make(chan struct{}, maxStdioInFlight), stopped: cancel}
	go s.forward(ctx, sess.notifications)
	read := make(chan error, 1)
	go func() { read <- s.readLoop(ctx, bufio.NewReaderSize(in, 64<<10)) }()
	var err error
	select {
	case err = <-read:
	case <-ctx.Done(): // the reader may be blocked on stdin; the process is ending
	}
	cancel()
	// Taking every slot waits for the requests in flight, and no request
	// can start after (the reader, if still running, sees ctx done).
	for range cap(s.slots) {
		s.slots <- struct{}{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(err, s.failed)
}

func (s *stdioServer) readLoop(ctx context.Context, r *bufio.Reader) error {
	for ctx.Err() == nil {
		line, err := readLine(r, maxStdioMessage)
		if errors.Is(err, errLineTooLong) {
			s.log.Warn().Int("limit_bytes", maxStdioMessage).Msg("stdio message over the size limit refused")
			s.send(mcp.NewJSONRPCError(mcp.NewRequestId(nil), mcp.PARSE_ERROR,
				fmt.Sprintf("message longer than %d bytes (the stdio message limit); nothing was done", maxStdioMessage), nil))
			continue
		}
		if len(bytes.TrimSpace(line)) > 0 {
			s.dispatch(ctx, line)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read stdin: %w", err)
		}
	}
	return nil
}

// dispatch serves a request on its own goroutine, once a slot is free, and
// anything else (notifications, responses, malformed input) in line.
func (s *stdioServer) dispatch(ctx context.Context, line []byte) {
	var env struct {
		ID     mcp.RequestId `json:"id"`
		Method string        `json:"method"`
	}
	if json.Unmarshal(line, &env) != nil || env.Method == "" || env.ID.IsNil() {
		s.handle(ctx, env.ID, line)
		return
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return
	}
	go func() {
		defer func() { <-s.slots }()
		s.handle(ctx, env.ID, line)
	}()
}

// handle runs one message through mcp-go and sends the answer, if any. A
// panic outside a tool handler (those have their own recovery) becomes an
// internal error for that request, not the end of the server.
func (s *stdioServer) handle(ctx context.Context, id mcp.RequestId, line []byte) {
	resp := func() (resp mcp.JSONRPCMessage) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error().Interface("panic", r).Msg("stdio message handler panicked")
				if !id.IsNil() {
					resp = mcp.NewJSONRPCError(id, mcp.INTERNAL_ERROR, "internal error", nil)
				}
			}
		}()
		return s.srv.HandleMessage(ctx, line)
	}()
	if resp != nil {
		s.send(resp)
	}
}

// forward writes the notifications mcp-go queues for the client.
func (s *stdioServer) forward(ctx context.Context, notes <-chan mcp.JSONRPCNotification) {
	for {
		select {
		case n := <-notes:
			s.send(n)
		case <-ctx.Done():
			return
		}
	}
}

// send writes msg and a newline in one write; a write error stops the
// server.
func (s *stdioServer) send(msg mcp.JSONRPCMessage) {
	p := s.bufs.Get()
	buf, err := wire.Line(*p, msg)
	if err != nil {
		s.log.Error().Err(err).Msg("stdio message could not be encoded")
	}
	s.mu.Lock()
	if s.failed == nil && len(buf) > 0 {
		if _, err := s.out.Write(buf); err != nil {
			s.failed = fmt.Errorf("write stdout: %w", err)
			s.stopped()
		}
	}
	s.mu.Unlock()
	s.bufs.Put(p, buf)
}

var errLineTooLong = errors.New("line too long")

// readLine returns the next line without its newline. A line longer than
// max is read to its end and dropped, reported as errLineTooLong: it costs
// at most max bytes and the stream stays in step.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	over := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !over && len(line)+len(chunk) > max+1 {
			over, line = true, nil
		}
		if !over {
			line = append(line, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if over {
			return nil, errLineTooLong
		}
		return bytes.TrimSuffix(line, []byte{'\n'}), err
	}
}
