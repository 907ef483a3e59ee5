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

// proxyHeaders are added by Cloudflare's edge and cloudflared (which also
// rewrites Host to the local origin, so Host alone cannot tell) and by other
// reverse proxies. A browser on this machine talking to 127.0.0.1 sends none.
var proxyHeaders = []string{"Cf-Connecting-Ip", "Cf-Ray", "Cdn-Loop", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded", "X-Real-Ip"}

// localOnly serves admin routes only to a browser on this machine: the
// server addressed by a loopback name and no proxy in between. The
// connector token also travels through the tunnel; holding it must not be
// enough to rewrite the next launch's policy from the internet.
func (a *Admin) localOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		proxied := ""
		for _, name := range proxyHeaders {
			if r.Header.Get(name) != "" {
				proxied = name
				break
			}
		}
		if !config.IsLoopback(host) || proxied != "" {
			why := "this request was addressed to " + r.Host
			if proxied != "" {
				why = "it came through a proxy or tunnel (" + proxied + ")"
			}
			http.Error(w, "codexpro: the admin page is served only on the local address, but "+why+
				"; open http://127.0.0.1:"+portOf(a.o.Port)+"/ on the machine running mcpd", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}
