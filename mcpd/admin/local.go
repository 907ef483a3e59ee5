package admin

import (
	"net"
	"net/http"

	"codexpro.dev/pkg/config"
)

// contentSecurityPolicy allows only this server's own script, style and
// fetches, and no framing: the page has no external fonts, scripts or images.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// localOnly serves admin routes only when the browser addressed the server
// by a loopback name. The connector token also travels through the tunnel;
// holding it must not be enough to rewrite the next launch's policy from the
// internet (the reference's gap, anchor-cli §13.2).
func (a *Admin) localOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if !config.IsLoopback(host) {
			http.Error(w, "codexpro: the admin page is served only on the local address; open http://127.0.0.1:"+
				portOf(a.o.Port)+"/ on the machine running mcpd", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}
