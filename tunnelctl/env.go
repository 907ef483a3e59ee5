package tunnelctl

import "strings"

// childEnv copies base without the variables that could leak a secret to the
// wrong child or redirect it, then appends extra. Both children get the
// user's environment (PATH, HOME, proxies), but mcpd never sees the tunnel
// token (its bash tool could print it) and cloudflared never sees the MCP
// token or an inherited TUNNEL_* setting that could turn a quick tunnel into
// someone else's named tunnel.
func childEnv(base []string, drop func(name string) bool, extra ...string) []string {
	out := make([]string, 0, len(base)+len(extra))
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if !drop(name) {
			out = append(out, kv)
		}
	}
	return append(out, extra...)
}

// tunnelSecretVar reports variables that carry Cloudflare tunnel credentials or settings.
func tunnelSecretVar(name string) bool {
	return strings.HasPrefix(name, "TUNNEL_") || strings.HasPrefix(name, "CLOUDFLARE_TUNNEL_") ||
		strings.HasPrefix(name, "CODEXPRO_CLOUDFLARE_")
}

// mcpdDrop is what mcpd must not inherit: tunnel secrets, and any auth
// setting tunnelctl sets itself (a public tunnel always has a token).
func mcpdDrop(name string) bool {
	switch name {
	case "CODEXPRO_HTTP_TOKEN", "CODEBASE_BRIDGE_HTTP_TOKEN", "CODEXPRO_NO_AUTH", "CODEXPRO_ALLOW_NO_HTTP_TOKEN",
		"CODEXPRO_PUBLIC_HOSTNAME", "CODEXPRO_PUBLIC_HOSTNAMES", "CODEXPRO_HOST", "CODEXPRO_PORT", "CODEXPRO_TRANSPORT":
		return true
	}
	return tunnelSecretVar(name)
}

// cloudflaredDrop is what cloudflared must not inherit.
func cloudflaredDrop(name string) bool {
	return tunnelSecretVar(name) || strings.HasPrefix(name, "CODEXPRO_") || name == "CODEBASE_BRIDGE_HTTP_TOKEN"
}
