package oauth

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Lifetimes. Codes and pairing codes are minutes or less; an access token
// an hour; a refresh token a month of disuse (each refresh renews it).
const (
	codeTTL        = 60 * time.Second
	pairingTTL     = 5 * time.Minute
	accessTTL      = time.Hour
	refreshTTL     = 30 * 24 * time.Hour
	clientTTL      = 90 * 24 * time.Hour
	maxClients     = 50
	maxPending     = 16
	maxCodeTries   = 5 // wrong pairing codes before a pending approval is void
	triesPerMinute = 10
)

// Scope is the one scope mcpd grants: the MCP endpoint with the server's
// own mode, write, bash and roots settings.
const Scope = "mcp"

// DefaultRedirectHosts are the hosts an https redirect URI may name when
// the user has not named others: ChatGPT's connector callbacks.
var DefaultRedirectHosts = []string{"chatgpt.com", "chat.openai.com"}

// Options configure the server.
type Options struct {
	Store *Store
	// RedirectHosts allow-lists https redirect hosts; loopback http
	// redirects are always allowed, for local clients.
	RedirectHosts []string
	// Access names what a grant reaches, for the consent page.
	Access []string
	// Announce shows the pairing code to the person at mcpd's terminal.
	Announce func(client, code string, ttl time.Duration)
	Now      func() time.Time
}

// Server is the authorization server and the resource server's check.
type Server struct {
	o       Options
	mu      sync.Mutex
	pending map[string]*pending // by request id
	codes   map[string]*issued  // by code digest
	tries   []time.Time         // wrong pairing codes in the last minute
}

// New builds the server.
func New(o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if len(o.RedirectHosts) == 0 {
		o.RedirectHosts = DefaultRedirectHosts
	}
	return &Server{o: o, pending: map[string]*pending{}, codes: map[string]*issued{}}
}

// Routes are the paths served without a bearer token.
var Routes = []string{
	"/.well-known/oauth-protected-resource",
	"/.well-known/oauth-protected-resource/mcp",
	"/.well-known/oauth-authorization-server",
	"/oauth/register",
	"/oauth/authorize",
	"/oauth/token",
	"/oauth/revoke",
}

// Public reports whether path is one of Routes.
func (s *Server) Public(path string) bool {
	for _, r := range Routes {
		if r == path {
			return true
		}
	}
	return false
}

// Challenge points a client that got a 401 at the metadata (RFC 9728).
func (s *Server) Challenge(r *http.Request) string {
	return `Bearer resource_metadata="` + MetadataURL(r) + `", scope="` + Scope + `"`
}

// Handler serves Routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/oauth-protected-resource", s.resourceMetadata)
	mux.HandleFunc("GET /.well-known/oauth-protected-resource/mcp", s.resourceMetadata)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", s.serverMetadata)
	mux.HandleFunc("POST /oauth/register", s.register)
	mux.HandleFunc("GET /oauth/authorize", s.authorizePage)
	mux.HandleFunc("POST /oauth/authorize", s.authorizeSubmit)
	mux.HandleFunc("POST /oauth/token", s.token)
	mux.HandleFunc("POST /oauth/revoke", s.revoke)
	return mux
}

// Base is the server's own origin as the client reached it. The Host
// header has already passed the guard's DNS-rebinding check, so it is one
// of mcpd's own names. A loopback Host with X-Forwarded-Host came through a
// local tunnel (tunnelctl runs cloudflared with --http-host-header, which
// moves the public name there): the client used https and that name. A
// loopback name alone is served over http, any other over https.
func Base(r *http.Request) string {
	host := r.Host
	if isLoopbackName(hostOnly(host)) {
		if fwd := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Host"), ",")[0]); validHost(fwd) {
			return "https://" + fwd
		}
		return "http://" + host
	}
	return "https://" + host
}

// hostOnly drops a port and IPv6 brackets.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.Trim(host, "[]")
}

// validHost accepts a DNS name with an optional port, nothing else, so a
// forwarded value can never inject a path or a second URL.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':') {
			return false
		}
	}
	return !strings.HasPrefix(h, ".") && !strings.HasPrefix(h, "-")
}

// Resource is the MCP endpoint tokens are bound to.
func Resource(r *http.Request) string { return Base(r) + "/mcp" }

// MetadataURL is what a 401 from /mcp points clients at.
func MetadataURL(r *http.Request) string {
	return Base(r) + "/.well-known/oauth-protected-resource"
}

func (s *Server) resourceMetadata(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"resource":                 Resource(r),
		"authorization_servers":    []string{Base(r)},
		"bearer_methods_supported": []string{"header"},
		"scopes_supported":         []string{Scope},
		"resource_name":            "CodexPro (mcpd)",
	})
}

func (s *Server) serverMetadata(w http.ResponseWriter, r *http.Request) {
	b := Base(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                         b,
		"authorization_endpoint":                         b + "/oauth/authorize",
		"token_endpoint":                                 b + "/oauth/token",
		"registration_endpoint":                          b + "/oauth/register",
		"revocation_endpoint":                            b + "/oauth/revoke",
		"response_types_supported":                       []string{"code"},
		"grant_types_supported":                          []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported":               []string{"S256"},
		"token_endpoint_auth_methods_supported":          []string{"none"},
		"revocation_endpoint_auth_methods_supported":     []string{"none"},
		"scopes_supported":                               []string{Scope},
		"authorization_response_iss_parameter_supported": true,
	})
}

// oauthError answers with an RFC 6749 error body.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
