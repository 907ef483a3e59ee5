package httpd

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/internal/wire"
)

// ToolCalls is mcpd's /mcp in front of mcp-go's Streamable HTTP handler.
// It answers the request a connected client makes most, tools/call inside
// a live legacy session, itself: mcp-go encodes a tool result twice
// (through a map, then a re-scan of the bytes), about a fifth of mcpd's
// CPU per read under load; here it is written once (wire.AppendMessage),
// with a length. It takes only a request mcp-go would serve the same way:
// POST, JSON, a pre-2026-07-28 Mcp-Protocol-Version header, a session
// mcp-go registered and served within half its idle TTL, and a tools/call
// with an id and no _meta (which can name the stateless protocol).
//
// It also holds mcp-go to JSON-RPC 2.0 and the transport rules: every POST
// is checked first (wire.Inspect), ids reach the client as sent, batches
// are answered on 2025-03-26 sessions and refused otherwise, a request
// without the session it needs gets 400, and a GET stream ends when its
// session does. It sits behind the Guard, which has checked the token,
// Host, Origin and body size.
type ToolCalls struct {
	srv      *server.MCPServer
	sessions *Sessions
	next     *server.StreamableHTTPServer
	within   time.Duration
	log      zerolog.Logger
	bufs     wire.Buffers
}

// NewEndpoint is mcpd's /mcp: ToolCalls in front of NewMCPHandler. srv
// must have been built with sessions.Hook. Call Shutdown when it stops.
func NewEndpoint(srv *server.MCPServer, sessions *Sessions, log zerolog.Logger, idleTTL time.Duration) *ToolCalls {
	return &ToolCalls{srv: srv, sessions: sessions, next: NewMCPHandler(srv, log, idleTTL), within: sessionTTL(idleTTL) / 2, log: log}
}

// Shutdown ends mcp-go's session sweeper.
func (t *ToolCalls) Shutdown(ctx context.Context) error { return t.next.Shutdown(ctx) }

func (t *ToolCalls) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get(server.HeaderKeySessionID)
	modern := mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion))
	switch {
	case r.Method == http.MethodGet && !modern:
		t.serveStream(w, r, id)
		return
	case r.Method == http.MethodDelete && !modern && id == "":
		writeRefusal(w, http.StatusBadRequest, wire.Refusal(nil, mcp.INVALID_REQUEST, missingSession))
		return
	case r.Method == http.MethodPost:
		if w = t.servePost(w, r, id); w == nil {
			return
		}
	}
	if id != "" {
		t.sessions.seen(id) // mcp-go resets the session's idle clock
	}
	t.next.ServeHTTP(w, r)
}

const missingSession = "Bad Request: this server requires the Mcp-Session-Id header from initialize on every request after it"

// servePost answers what it can of a POST and returns nil, or returns the
// writer to hand the request to mcp-go with (the body put back).
func (t *ToolCalls) servePost(w http.ResponseWriter, r *http.Request, session string) http.ResponseWriter {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" || r.Body == nil {
		return w // mcp-go refuses it with 400
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return w
	}
	if wire.IsBatch(body) {
		t.serveBatch(w, r, session, body)
		return nil
	}
	m, refusal := wire.Inspect(body)
	if refusal != nil && refusal.Error.Code == mcp.INVALID_PARAMS {
		t.answer(w, *refusal) // a request, answered with an error
		return nil
	}
	if refusal != nil {
		writeRefusal(w, http.StatusBadRequest, refusal) // not a message mcpd accepts
		return nil
	}
	if session == "" && m.Method != string(mcp.MethodInitialize) && !modernBody(r.Header, body) {
		writeRefusal(w, http.StatusBadRequest, wire.Refusal(m.ID, mcp.INVALID_REQUEST, missingSession))
		return nil
	}
	if cs, ok := t.fastSession(r, session, m); ok {
		t.answerTo(w, m, body, t.srv.HandleMessage(t.srv.WithContext(r.Context(), cs), body))
		return nil
	}
	if m.IsRequest() {
		if err := wire.ParamsError(m.Method, body); err != nil {
			t.answer(w, *wire.Refusal(m.ID, mcp.INVALID_PARAMS, err.Error()))
			return nil
		}
	}
	return withSentID(w, m.ID)
}

// fastSession returns the session to answer m in directly: a plain
// tools/call (an id, no _meta) in a fresh legacy session.
func (t *ToolCalls) fastSession(r *http.Request, id string, m wire.Message) (server.ClientSession, bool) {
	if m.Method != string(mcp.MethodToolsCall) || m.ID == nil || !legacyVersion(r.Header.Get(mcp.HeaderProtocolVersion)) {
		return nil, false
	}
	if !m.PlainParams() {
		return nil, false
	}
	return t.sessions.fresh(id, t.within)
}

// serveBatch answers a JSON-RPC batch in a live session: each message in
// turn on a 2025-03-26 session, one -32600 on any later revision.
func (t *ToolCalls) serveBatch(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	if id == "" {
		writeRefusal(w, http.StatusBadRequest, wire.Refusal(nil, mcp.INVALID_REQUEST, missingSession))
		return
	}
	cs, version, ok := t.sessions.get(id)
	if !ok {
		http.Error(w, "Invalid session ID", http.StatusNotFound)
		return
	}
	ctx := t.srv.WithContext(r.Context(), cs)
	answers, refusal := wire.ServeBatch(body, version, func(m wire.Message, raw []byte) mcp.JSONRPCMessage {
		return wire.Finish(m, raw, t.srv.HandleMessage(ctx, raw))
	})
	switch {
	case refusal != nil:
		writeRefusal(w, http.StatusBadRequest, refusal)
	case len(answers) == 0:
		w.WriteHeader(http.StatusAccepted)
	default:
		p := t.bufs.Get()
		out, err := wire.BatchLine(*p, answers)
		if err != nil {
			t.log.Error().Err(err).Msg("batch answer could not be encoded")
		}
		writeJSON(w, http.StatusOK, out)
		t.bufs.Put(p, out)
	}
}

// serveStream hands a GET stream to mcp-go tied to its live session, so
// that it ends when the session ends. mcp-go itself would open a stream
// for any id, even one it never issued (and register it as a session),
// and keep it open after the session's DELETE or expiry.
func (t *ToolCalls) serveStream(w http.ResponseWriter, r *http.Request, id string) {
	if id == "" {
		writeRefusal(w, http.StatusBadRequest, wire.Refusal(nil, mcp.INVALID_REQUEST, missingSession))
		return
	}
	ctx, release, ok := t.sessions.stream(r.Context(), id)
	if !ok {
		http.Error(w, "Invalid session ID: no live session has it (initialize again)", http.StatusNotFound)
		return
	}
	defer release()
	t.sessions.seen(id)
	t.next.ServeHTTP(w, r.WithContext(ctx))
}

// answer writes one JSON-RPC answer with a length.
func (t *ToolCalls) answer(w http.ResponseWriter, msg mcp.JSONRPCMessage) {
	t.answerTo(w, wire.Message{}, nil, msg)
}

// answerTo writes mcp-go's answer to m (raw as sent) with a length, as
// wire.Finish makes it.
func (t *ToolCalls) answerTo(w http.ResponseWriter, m wire.Message, raw []byte, resp mcp.JSONRPCMessage) {
	p := t.bufs.Get()
	out, err := wire.AnswerLine(*p, m, raw, resp)
	if err != nil {
		t.log.Error().Err(err).Msg("answer could not be encoded")
	}
	writeJSON(w, http.StatusOK, out)
	t.bufs.Put(p, out)
}

func writeRefusal(w http.ResponseWriter, status int, refusal *mcp.JSONRPCError) {
	out, _ := wire.Line(nil, *refusal)
	writeJSON(w, status, out)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func legacyVersion(v string) bool {
	return v != "" && mcp.IsValidProtocolVersion(v) && !mcp.IsModernProtocol(v)
}

// modernBody reports whether a POST belongs to the stateless 2026-07-28
// protocol, which has no sessions: by its header or its _meta, as mcp-go
// tells the eras apart.
func modernBody(h http.Header, body []byte) bool {
	if mcp.IsModernProtocol(h.Get(mcp.HeaderProtocolVersion)) {
		return true
	}
	var msg struct {
		Params struct {
			Meta *mcp.Meta `json:"_meta"`
		} `json:"params"`
	}
	return json.Unmarshal(body, &msg) == nil && mcp.IsModernProtocol(msg.Params.Meta.ProtocolVersion())
}
