package httpd

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

// AdminCookieName is the cookie the admin page trades the URL token for.
const AdminCookieName = "codexpro_admin"

// AdminCookieValue derives the admin cookie from the token, so the cookie
// is not the token itself: it cannot be replayed as a connector token on
// /mcp, and the guard accepts it only on routes added with HandleWithCookie.
func AdminCookieValue(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("codexpro admin cookie v1"))
	return hex.EncodeToString(m.Sum(nil))
}

// HandleWithCookie adds a route behind the guard on which the admin cookie
// also authenticates. Use exact patterns ("/{$}", not "/"): a catch-all
// would let the cookie in everywhere.
func (g *Guard) HandleWithCookie(pattern string, h http.Handler) {
	g.mux.Handle(pattern, h)
	g.cookieRoutes.Handle(pattern, h)
}

// cookieAuthorized reports whether r is for a cookie route and carries the
// admin cookie of the configured token.
func (g *Guard) cookieAuthorized(r *http.Request) bool {
	if !g.cred.set {
		return false
	}
	if _, pattern := g.cookieRoutes.Handler(r); pattern == "" {
		return false
	}
	c, err := r.Cookie(AdminCookieName)
	return err == nil && hmac.Equal([]byte(c.Value), []byte(g.cookie))
}
