package httpd

import (
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

// DefaultSessionIdleTTL is how long an idle HTTP session lives (30 minutes,
// as CodexPro 0.30 does).
const DefaultSessionIdleTTL = 30 * time.Minute

// NewMCPHandler builds mcp-go's Streamable HTTP handler the way mcpd needs
// it, to be mounted behind Handler:
//   - stateful sessions, so a session id the server never issued (or one
//     from before a restart) gets 404 and the client re-initializes;
//   - an idle TTL (<= 0 means DefaultSessionIdleTTL), so abandoned sessions
//     are swept instead of living forever;
//   - every protocol version: legacy clients (initialize + Mcp-Session-Id,
//     as ChatGPT and the TypeScript SDK speak) and the stateless 2026-07-28
//     era are told apart per request;
//   - mcp-go's own localhost guard off, because the Guard's Host check is
//     stricter (exact host:port) and also knows the tunnel hostnames, which
//     mcp-go would refuse with 403.
//
// Call Shutdown on the result when the server stops; it ends the sweeper.
func NewMCPHandler(s *server.MCPServer, log zerolog.Logger, idleTTL time.Duration) *server.StreamableHTTPServer {
	return server.NewStreamableHTTPServer(s,
		server.WithStateful(true),
		server.WithSessionIdleTTL(sessionTTL(idleTTL)),
		server.WithDisableLocalhostProtection(true),
		server.WithStreamableHTTPLogger(slog.New(zerolog.NewSlogHandler(log))),
	)
}

// sessionTTL is the idle TTL in effect: idleTTL, or the default if unset.
func sessionTTL(idleTTL time.Duration) time.Duration {
	if idleTTL <= 0 {
		return DefaultSessionIdleTTL
	}
	return idleTTL
}
