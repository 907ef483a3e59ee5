package config

import (
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

func (l *loader) loadHTTP(s *Settings) {
	s.Transport = l.enum(kTransport)
	host, r := l.str(kHost)
	if !r.set {
		host = kHost.Default
	}
	if host == "" || strings.ContainsAny(host, " /?#@") {
		l.fail(kHost.invalid(r, "want a host name or IP address such as 127.0.0.1"))
	}
	s.Host = host
	s.Port = int(l.integer(kPort))
	hosts := l.list(kPublicHosts, listSep)
	if len(hosts) == 0 && l.profileHostname.set {
		hosts = []raw{l.profileHostname}
	}
	for _, h := range hosts {
		if norm, ok := publicHostname(h.value); ok {
			s.PublicHostnames = appendNew(s.PublicHostnames, norm)
		} else {
			l.fail(kPublicHosts.invalid(h, "want a host name such as my-tunnel.example.com (optionally with :port)"))
		}
	}
	for _, o := range l.list(kOrigins, listSep) {
		if norm, ok := origin(o.value, "http", "https"); ok {
			s.AllowedOrigins = appendNew(s.AllowedOrigins, norm)
		} else {
			l.fail(kOrigins.invalid(o, "want an origin such as https://chatgpt.com (scheme and host, no path, no wildcard)"))
		}
	}
	s.Auth = l.enum(kAuth)
	for _, h := range l.list(kOAuthHosts, listSep) {
		if norm, ok := publicHostname(h.value); ok && !strings.Contains(norm, ":") {
			s.OAuthRedirectHosts = appendNew(s.OAuthRedirectHosts, norm)
		} else {
			l.fail(kOAuthHosts.invalid(h, "want a host name such as chatgpt.com (no scheme, port or path)"))
		}
	}
	wd, wr := l.str(kWidgetDomain)
	if !wr.set {
		wd = kWidgetDomain.Default
	}
	if norm, ok := origin(wd, "https"); ok {
		s.WidgetDomain = norm
	} else {
		l.fail(kWidgetDomain.invalid(wr, "want an https origin only, for example https://widgets.example.com"))
	}
}

// IsLoopback reports whether host only accepts connections from this
// machine: 127.0.0.0/8, ::1 or localhost. 0.0.0.0 and :: listen everywhere.
func IsLoopback(host string) bool {
	h := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// publicHostname accepts "name", "name:port" or a URL such as
// "https://name/mcp" (the form users paste) and returns "name[:port]".
func publicHostname(v string) (string, bool) {
	v = strings.ToLower(v)
	if i := strings.Index(v, "://"); i >= 0 {
		u, err := url.Parse(v)
		if err != nil || u.User != nil {
			return "", false
		}
		v = u.Host
	}
	name, port := v, ""
	if h, p, err := net.SplitHostPort(v); err == nil {
		name, port = h, p
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", false
		}
	}
	if net.ParseIP(name) == nil {
		for _, label := range strings.Split(name, ".") {
			if !hostLabel.MatchString(label) {
				return "", false
			}
		}
	}
	if port != "" {
		return net.JoinHostPort(name, port), true
	}
	return name, true
}

// origin accepts scheme://host[:port] with an optional trailing "/".
func origin(v string, schemes ...string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery ||
		(u.Path != "" && u.Path != "/") || u.Opaque != "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	ok := false
	for _, s := range schemes {
		ok = ok || scheme == s
	}
	if !ok {
		return "", false
	}
	if _, valid := publicHostname(u.Host); !valid {
		return "", false
	}
	return scheme + "://" + strings.ToLower(u.Host), true
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
