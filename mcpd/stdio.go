package mcpd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

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

// stdioDrainTimeout bounds how long requests already received may run on
// after stdin ends: a client that writes its requests and closes stdin
// (as a pipe does) gets every answer, but a call that never ends cannot
// keep the process alive.
const stdioDrainTimeout = 30 * time.Second

// stdioServer is mcpd's stdio transport: newline-delimited JSON-RPC to one
// client through mcp-go's MCPServer. It is ours rather than mcp-go's
// StdioServer so that responses are encoded once (wire.AppendMessage), lines
// are bounded, a line costs no goroutine hand-off before it is parsed, ids
// are echoed as sent, invalid requests are refused as JSON-RPC says, and
// stdin's end lets the requests in flight finish.
type stdioServer struct {
	srv   *server.MCPServer
	sess  *stdioSession
	log   zerolog.Logger
	out   io.Writer
	slots chan struct{} // one per request in flight
	bufs  wire.Buffers
	drain time.Duration

	mu      sync.Mutex // one whole message per write
	failed  error      // the first write error; stops the server
	stopped context.CancelFunc
}

// ServeStdio serves srv on in and out until in ends, ctx is done or out
// cannot be written. Requests run concurrently (a long poll must not hold
// up the rest); notifications are handled in order, as they arrive. When
// in ends, the requests already read are answered (for up to
// stdioDrainTimeout) before it returns; when ctx ends they are cancelled.
func ServeStdio(ctx context.Context, srv *server.MCPServer, in io.Reader, out io.Writer, log zerolog.Logger) error {
	return serveStdio(ctx, srv, in, out, log, stdioDrainTimeout)
}

func serveStdio(ctx context.Context, srv *server.MCPServer, in io.Reader, out io.Writer, log zerolog.Logger, drain time.Duration) error {
	sess := newStdioSession()
	if err := srv.RegisterSession(ctx, sess); err != nil {
		return fmt.Errorf("register the stdio session: %w", err)
	}
	defer srv.UnregisterSession(context.WithoutCancel(ctx), sess.SessionID())
	ctx, cancel := context.WithCancel(srv.WithContext(ctx, sess))
	defer cancel()
	s := &stdioServer{srv: srv, sess: sess, log: log, out: out, slots: make(chan struct{}, maxStdioInFlight),
		drain: drain, stopped: cancel}
	go s.forward(ctx, sess.notifications)
	read := make(chan error, 1)
	go func() { read <- s.readLoop(ctx, bufio.NewReaderSize(in, 64<<10)) }()
	// Taking every slot waits for the requests in flight, and no request
	// can start after (the reader has ended, or sees ctx done).
	idle := make(chan struct{})
	waitIdle := func() {
		for range cap(s.slots) {
			s.slots <- struct{}{}
		}
		close(idle)
	}
	var err error
	select {
	case err = <-read:
		go waitIdle()
		timer := time.NewTimer(s.drain)
		select {
		case <-idle:
		case <-timer.C:
			log.Warn().Dur("drain_timeout", s.drain).Msg("stdin ended; requests still running after the drain timeout are cancelled")
		case <-ctx.Done():
		}
		timer.Stop()
		cancel()
	case <-ctx.Done(): // the reader may be blocked on stdin; the process is ending
		cancel()
		go waitIdle()
	}
	<-idle
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(err, s.failed)
}

func (s *stdioServer) readLoop(ctx context.Context, r *bufio.Reader) error {
	for ctx.Err() == nil {
		line, err := readLine(r, maxStdioMessage)
		if errors.Is(err, errLineTooLong) {
			s.log.Warn().Int("limit_bytes", maxStdioMessage).Msg("stdio message over the size limit refused")
			s.send(*wire.Refusal(nil, mcp.PARSE_ERROR,
				fmt.Sprintf("message longer than %d bytes (the stdio message limit); nothing was done", maxStdioMessage)))
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

// dispatch serves a request (or a batch) on its own goroutine, once a slot
// is free, and anything else (notifications, responses, invalid input) in
// line.
func (s *stdioServer) dispatch(ctx context.Context, line []byte) {
	if wire.IsBatch(line) {
		s.inSlot(ctx, func() { s.batch(ctx, line) })
		return
	}
	m, refusal := wire.Inspect(line)
	switch {
	case refusal != nil:
		s.send(*refusal)
	case m.IsRequest():
		s.inSlot(ctx, func() { s.answer(m, line, s.handle(ctx, m, line)) })
	default:
		s.answer(m, line, s.handle(ctx, m, line))
	}
}

// inSlot runs f on a goroutine of its own once a slot is free.
func (s *stdioServer) inSlot(ctx context.Context, f func()) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return
	}
	go func() {
		defer func() { <-s.slots }()
		f()
	}()
}

// batch answers a JSON-RPC batch: served where the session's protocol
// revision has them (2025-03-26), one -32600 otherwise.
func (s *stdioServer) batch(ctx context.Context, line []byte) {
	answers, refusal := wire.ServeBatch(line, s.sess.ProtocolVersion(), func(m wire.Message, raw []byte) mcp.JSONRPCMessage {
		return wire.Finish(m, raw, s.handle(ctx, m, raw))
	})
	if refusal != nil {
		s.send(*refusal)
		return
	}
	if len(answers) == 0 {
		return
	}
	p := s.bufs.Get()
	buf, err := wire.BatchLine(*p, answers)
	if err != nil {
		s.log.Error().Err(err).Msg("stdio message could not be encoded")
	}
	s.write(buf)
	s.bufs.Put(p, buf)
}

// handle runs one message through mcp-go and returns the answer, if any,
// for wire.Finish to give the id as the client sent it. A panic outside a
// tool handler (those have their own recovery) becomes an internal error
// for that request, not the end of the server.
func (s *stdioServer) handle(ctx context.Context, m wire.Message, line []byte) (resp mcp.JSONRPCMessage) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error().Interface("panic", r).Msg("stdio message handler panicked")
			resp = nil
			if m.IsRequest() {
				resp = *wire.Refusal(m.ID, mcp.INTERNAL_ERROR, "internal error")
			}
		}
	}()
	return s.srv.HandleMessage(ctx, line)
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

// send writes msg and a newline in one write; nil sends nothing.
func (s *stdioServer) send(msg mcp.JSONRPCMessage) {
	s.answer(wire.Message{}, nil, msg)
}

// answer sends mcp-go's answer to m (raw as read) as wire.Finish makes it;
// nil sends nothing.
func (s *stdioServer) answer(m wire.Message, raw []byte, msg mcp.JSONRPCMessage) {
	if msg == nil {
		return
	}
	p := s.bufs.Get()
	buf, err := wire.AnswerLine(*p, m, raw, msg)
	if err != nil {
		s.log.Error().Err(err).Msg("stdio message could not be encoded")
	}
	s.write(buf)
	s.bufs.Put(p, buf)
}

// write sends buf in one write; a write error stops the server.
func (s *stdioServer) write(buf []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed == nil && len(buf) > 0 {
		if _, err := s.out.Write(buf); err != nil {
			s.failed = fmt.Errorf("write stdout: %w", err)
			s.stopped()
		}
	}
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
