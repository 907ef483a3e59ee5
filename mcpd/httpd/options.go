// Package httpd is the HTTP front door of mcpd: it authenticates every
// request, refuses foreign Host and Origin values (DNS rebinding), caps body
// sizes, adds security headers and logs each request without its query,
// before anything reaches mark3labs/mcp-go's Streamable HTTP handler.
package httpd

import (
	"net/http"

	"github.com/rs/zerolog"
)

// OAuth is what the guard needs of an authorization server.
type OAuth interface {
	// Public reports whether path is one of its endpoints, served to
	// anyone (discovery, registration, consent, token).
	Public(path string) bool
	Handler() http.Handler
	// Verify reports whether bearer is a live access token for r's resource.
	Verify(r *http.Request, bearer string) bool
	// Challenge is the WWW-Authenticate value of a 401 from /mcp.
	Challenge(r *http.Request) string
}

// DefaultMaxBodyBytes is the JSON body limit (20 MB, as CodexPro 0.30 does).
const DefaultMaxBodyBytes int64 = 20 << 20

// TokenQueryParam is the query parameter that carries the token for clients
// (ChatGPT connectors) that cannot send an Authorization header.
const TokenQueryParam = "codexpro_token"

// Options configures the guard. The zero value refuses every request: with
// no Token and no NoAuth nothing authenticates.
type Options struct {
	Token  string
	NoAuth bool // only when the config has verified a loopback bind

	BindHost       string
	Port           int
	PublicHosts    []string // extra Host values, e.g. tunnel hostnames; "host" or "host:port"
	AllowedOrigins []string // extra browser origins, exact "scheme://host[:port]"

	MaxBodyBytes int64 // <= 0 means DefaultMaxBodyBytes

	// OAuth, when set, is mcpd's own authorization server (--auth oauth):
	// its pages are served without a token, its access tokens open /mcp,
	// and the static token is accepted only in the Authorization header,
	// never in the URL.
	OAuth OAuth

	Log    zerolog.Logger
	Health func() any // JSON body of GET /healthz; nil answers {"ok":true}
}
