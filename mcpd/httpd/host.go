package httpd

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// hostPolicy decides which Host and Origin values may reach mcpd. A browser
// tricked by DNS rebinding sends the attacker's hostname as Host, and a
// hostile page sends its own Origin; both must be refused even though the
// connection arrives on loopback.
type hostPolicy struct {
	exact   map[string]bool // "host:port", lower case
	anyPort map[string]bool // public hostnames given without a port
	origins map[string]bool // extra origins, lower case, no trailing slash
}

func newHostPolicy(o Options) hostPolicy {
	p := hostPolicy{
		exact:   make(map[string]bool),
		anyPort: make(map[string]bool),
		origins: make(map[string]bool),
	}
	if o.Port > 0 {
		port := strconv.Itoa(o.Port)
		for _, h := range []string{"127.0.0.1", "localhost", "::1", o.BindHost} {
			if h = normalizeHost(h); h != "" && !isUnspecified(h) {
				p.exact[net.JoinHostPort(h, port)] = true
			}
		}
	}
	for _, h := range o.PublicHosts {
		h = normalizeHost(h)
		if host, port, err := net.SplitHostPort(h); err == nil {
			p.exact[net.JoinHostPort(host, port)] = true
		} else if h != "" {
			p.anyPort[strings.Trim(h, "[]")] = true
		}
	}
	for _, origin := range o.AllowedOrigins {
		// A wildcard would make the guard echo "*" back, and "null" is what
		// every sandboxed or file:// page sends; neither names one site.
		if origin = normalizeOrigin(origin); origin != "" && origin != "null" && !strings.Contains(origin, "*") {
			p.origins[origin] = true
		}
	}
	return p
}

// normalizeHost lower-cases h and drops a scheme, a path and a trailing dot,
// so "https://Tunnel.Example.com/" and "tunnel.example.com" are one entry.
func normalizeHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if _, rest, ok := strings.Cut(h, "://"); ok {
		h = rest
	}
	h, _, _ = strings.Cut(h, "/")
	return strings.TrimSuffix(h, ".")
}

func normalizeOrigin(o string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(o)), "/")
}

func isLoopback(h string) bool {
	h = strings.Trim(normalizeHost(h), "[]")
	ip := net.ParseIP(h)
	return h == "localhost" || ip != nil && ip.IsLoopback()
}

func isUnspecified(h string) bool {
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsUnspecified()
}

// acceptHost reports whether a Host value names this server. defaultPort is
// the port implied when the value carries none ("80" for a Host header,
// the scheme's port for an Origin).
func (p hostPolicy) acceptHost(value, defaultPort string) bool {
	value = strings.ToLower(value)
	host, port, err := net.SplitHostPort(value)
	if err != nil {
		host, port = strings.Trim(value, "[]"), defaultPort
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || !isPort(port) {
		return false
	}
	return p.exact[net.JoinHostPort(host, port)] || p.anyPort[host]
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0 && n < 1<<16 && s == strconv.Itoa(n)
}

// acceptOrigin reports whether a browser Origin may talk to this server: one
// of the extra allowed origins, or http(s) on a host that acceptHost allows.
// "null" and anything with a path, user info or another scheme is refused.
func (p hostPolicy) acceptOrigin(origin string) bool {
	if p.origins[normalizeOrigin(origin)] {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.User != nil || u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return p.acceptHost(u.Host, "80")
	case "https":
		return p.acceptHost(u.Host, "443")
	}
	return false
}
