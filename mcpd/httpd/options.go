// Package httpd is the HTTP front door of mcpd: it authenticates every
// request, refuses foreign Host and Origin values (DNS rebinding), caps body
// sizes, adds security headers and logs each request without its query,
// before anything reaches mark3labs/mcp-go's Streamable HTTP handler.
package httpd

import "github.com/rs/zerolog"

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

	Log    zerolog.Logger
	Health func() any // JSON body of GET /healthz; nil answers {"ok":true}
}
