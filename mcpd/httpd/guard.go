package httpd

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Guard routes /mcp and /healthz, and any routes added with Handle, behind
// one pipeline: security headers, Host check, Origin check and CORS,
// authentication with a failure throttle, and a body cap.
type Guard struct {
	opts Options
	mux  *http.ServeMux
	cred credential

	cookieRoutes *http.ServeMux // routes where the admin cookie also authenticates
	cookie       string         // AdminCookieValue(token)
	hosts        hostPolicy
	failures     *throttle
	now          func() time.Time // replaced in tests to move the throttle window
}

// Handler wraps mcp (normally NewMCPHandler's result) in the guard.
func Handler(mcp http.Handler, o Options) *Guard {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	g := &Guard{
		opts: o,
		mux:  http.NewServeMux(),
		cred: newCredential(o.Token),

		cookieRoutes: http.NewServeMux(),
		cookie:       AdminCookieValue(o.Token),
		hosts:        newHostPolicy(o),
		failures:     newThrottle(),
		now:          time.Now,
	}
	if o.NoAuth && (!isLoopback(o.BindHost) || len(o.PublicHosts) > 0) {
		// A public bind or a tunnel hostname without auth hands the workspace
		// to anyone; refuse it here too, not only in the config.
		o.Log.Error().Str("bind_host", o.BindHost).Strs("public_hosts", o.PublicHosts).
			Msg("httpd: --no-auth is only allowed on a loopback bind without public hostnames; requiring the token")
		g.opts.NoAuth = false
	}
	if !g.opts.NoAuth && o.Token == "" {
		o.Log.Error().Msg("httpd: no token configured and auth not disabled; every request will be refused with 401")
	}
	g.mux.Handle("/mcp", mcp)
	g.mux.Handle("/healthz", healthHandler(o.Health))
	return g
}

// Handle adds a route behind the same guard, with http.ServeMux patterns.
func (g *Guard) Handle(pattern string, h http.Handler) { g.mux.Handle(pattern, h) }

func (g *Guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := newRequestID()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	setSecurityHeaders(w.Header(), id)
	r = r.WithContext(contextWithRequestID(r.Context(), id))
	refusal := g.serve(rec, r)
	logRequest(g.opts.Log, r, rec, id, time.Since(start), refusal)
}

// serve runs the checks in order and returns the name of the check that
// refused the request, or "" when it was handed on.
func (g *Guard) serve(w http.ResponseWriter, r *http.Request) string {
	if !g.hosts.acceptHost(r.Host, "80") {
		http.Error(w, fmt.Sprintf("codexpro: Host %q is not accepted by the DNS-rebinding guard; "+
			"use 127.0.0.1/localhost with the server's port, or add the hostname to CODEXPRO_PUBLIC_HOSTNAMES", r.Host),
			http.StatusForbidden)
		return "host"
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if !g.hosts.acceptOrigin(origin) {
			http.Error(w, fmt.Sprintf("codexpro: Origin %q is not allowed; add it to CODEXPRO_ALLOWED_ORIGINS to let that page connect", origin),
				http.StatusForbidden)
			return "origin"
		}
		setCORS(w.Header(), origin)
		if isPreflight(r) {
			answerPreflight(w)
			return ""
		}
	}
	if g.opts.OAuth != nil && g.opts.OAuth.Public(r.URL.Path) {
		if ok, refusal := readBody(w, r, oauthMaxBody); !ok {
			return refusal
		}
		g.opts.OAuth.Handler().ServeHTTP(w, r)
		return ""
	}
	if !g.opts.NoAuth {
		if refusal := g.authenticate(w, r); refusal != "" {
			return refusal
		}
		r = withoutCredentials(r)
	}
	if ok, refusal := readBody(w, r, g.opts.MaxBodyBytes); !ok {
		return refusal
	}
	g.mux.ServeHTTP(w, r)
	return ""
}

// authenticate checks the token first and the throttle only after a
// failure, so a correct token is accepted even while guessing is throttled.
func (g *Guard) authenticate(w http.ResponseWriter, r *http.Request) string {
	if g.credentialsAccepted(r) || g.cookieAuthorized(r) {
		return ""
	}
	if wait := g.failures.fail(clientKey(r), g.now()); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(wait, time.Second).Seconds()))))
		http.Error(w, "codexpro: too many failed authentication attempts; wait before retrying", http.StatusTooManyRequests)
		return "auth-throttled"
	}
	if g.opts.OAuth != nil {
		w.Header().Set("WWW-Authenticate", g.opts.OAuth.Challenge(r))
		http.Error(w, "codexpro: unauthorized: connect with OAuth (this server's metadata is at /.well-known/oauth-protected-resource) "+
			"or send Authorization: Bearer <token>", http.StatusUnauthorized)
		return "auth"
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="codexpro"`)
	http.Error(w, "codexpro: unauthorized: send Authorization: Bearer <token> or ?"+TokenQueryParam+"=<token>",
		http.StatusUnauthorized)
	return "auth"
}

// oauthMaxBody bounds the OAuth endpoints' bodies: a registration or a
// token request is a few hundred bytes.
const oauthMaxBody = 64 << 10

// credentialsAccepted: with OAuth on, a live access token or the static
// token, both in the Authorization header only (no secret in a URL);
// otherwise the static token in the header or the query.
func (g *Guard) credentialsAccepted(r *http.Request) bool {
	if g.opts.OAuth == nil {
		return g.cred.authorized(r)
	}
	tok, ok := bearerToken(r.Header.Get("Authorization"))
	return ok && (g.cred.matches(tok) || g.opts.OAuth.Verify(r, tok))
}

// clientKey is the remote IP. Forwarding headers are ignored because any
// client can forge them.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func setSecurityHeaders(h http.Header, id string) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Request-Id", id)
}
