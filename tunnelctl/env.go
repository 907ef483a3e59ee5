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

// providerVar names the provider whose credentials or settings a variable
// carries ("" for none).
func providerVar(name string) string {
	switch {
	case strings.HasPrefix(name, "TUNNEL_"), strings.HasPrefix(name, "CLOUDFLARE_TUNNEL_"), strings.HasPrefix(name, "CODEXPRO_CLOUDFLARE_"):
		return ProviderCloudflare
	case strings.HasPrefix(name, "NGROK_"):
		return ProviderNgrok
	case strings.HasPrefix(name, "TS_"):
		return ProviderTailscale
	}
	return ""
}

// mcpdDrop is what mcpd must not inherit: every provider's secrets, and
// any auth setting tunnelctl sets itself (a public tunnel always has a token).
func mcpdDrop(name string) bool {
	switch name {
	case "CODEXPRO_HTTP_TOKEN", "CODEBASE_BRIDGE_HTTP_TOKEN", "CODEXPRO_NO_AUTH", "CODEXPRO_ALLOW_NO_HTTP_TOKEN",
		"CODEXPRO_PUBLIC_HOSTNAME", "CODEXPRO_PUBLIC_HOSTNAMES", "CODEXPRO_HOST", "CODEXPRO_PORT", "CODEXPRO_TRANSPORT":
		return true
	}
	return providerVar(name) != ""
}

// providerDrop is what a provider's child must not inherit: mcpd's
// settings and tokens, the other providers' credentials, and, unless
// keepOwn, its own (cloudflared gets only the TUNNEL_TOKEN tunnelctl sets,
// so an inherited TUNNEL_* cannot turn a quick tunnel into someone else's
// named one; ngrok keeps NGROK_AUTHTOKEN, its documented way in).
func providerDrop(provider string, keepOwn bool) func(name string) bool {
	return func(name string) bool {
		if strings.HasPrefix(name, "CODEXPRO_") || name == "CODEBASE_BRIDGE_HTTP_TOKEN" {
			return true
		}
		owner := providerVar(name)
		return owner != "" && (owner != provider || !keepOwn)
	}
}
