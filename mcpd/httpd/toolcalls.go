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

// ToolCalls answers the request a connected client makes most, tools/call
// inside a live legacy session, and hands every other request to mcp-go's
// Streamable HTTP handler. mcp-go encodes a tool result twice (through a
// map, then a re-scan of the bytes), about a fifth of mcpd's CPU per read
// under load; here it is written once (wire.AppendMessage), with a length.
//
// It takes only a request mcp-go would serve the same way: POST, JSON, a
// pre-2026-07-28 Mcp-Protocol-Version header, a session mcp-go registered
// and served within half its idle TTL, and a tools/call with an id and no
// _meta (which can name the stateless protocol). It sits behind the Guard,
// which has checked the token, Host, Origin and body size.
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
	session, body, ok := t.take(r)
	if !ok {
		if id := r.Header.Get(server.HeaderKeySessionID); id != "" {
			t.sessions.seen(id) // mcp-go resets the session's idle clock
		}
		t.next.ServeHTTP(w, r)
		return
	}
	resp := t.srv.HandleMessage(t.srv.WithContext(r.Context(), session), body)
	p := t.bufs.Get()
	out, err := wire.Line(*p, resp)
	if err != nil {
		t.log.Error().Err(err).Msg("tool result could not be encoded")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
	t.bufs.Put(p, out)
}

// take returns the session and body of a request ToolCalls serves itself.
// Otherwise the body is put back for mcp-go.
func (t *ToolCalls) take(r *http.Request) (server.ClientSession, []byte, bool) {
	if r.Method != http.MethodPost || !legacyVersion(r.Header.Get(mcp.HeaderProtocolVersion)) {
		return nil, nil, false
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, nil, false
	}
	session, ok := t.sessions.fresh(r.Header.Get(server.HeaderKeySessionID), t.within)
	if !ok || r.Body == nil {
		return nil, nil, false
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil || !plainToolCall(body) {
		return nil, nil, false
	}
	return session, body, true
}

func legacyVersion(v string) bool {
	return v != "" && mcp.IsValidProtocolVersion(v) && !mcp.IsModernProtocol(v)
}

// plainToolCall reports whether body is one tools/call request with an id
// and without _meta.
func plainToolCall(body []byte) bool {
	var msg struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Method  string          `json:"method"`
		Params  struct {
			Meta json.RawMessage `json:"_meta"`
		} `json:"params"`
	}
	if json.Unmarshal(body, &msg) != nil {
		return false
	}
	id := string(bytes.TrimSpace(msg.ID))
	return msg.JSONRPC == mcp.JSONRPC_VERSION && msg.Method == string(mcp.MethodToolsCall) &&
		id != "" && id != "null" && msg.Params.Meta == nil
}
