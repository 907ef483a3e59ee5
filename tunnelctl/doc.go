// Package tunnelctl publishes a local mcpd on public HTTPS, for clients
// such as ChatGPT that cannot reach loopback. Up starts mcpd on a free
// loopback port and a tunnel provider in front of it: Cloudflare's
// cloudflared (cloudflare.go), ngrok on a reserved domain (ngrok.go) or
// Tailscale Funnel (tailscale.go), each one implementation of the small
// provider interface (provider.go). It supervises both (restarting a child
// that exits or stops answering its readiness probe, re-asserting a funnel
// that disappears), and prints the connector URL once the public side
// answers. Down and Status act on the runtime file Up keeps per workspace,
// so one workspace has one tunnel.
//
// A quick Cloudflare tunnel gets a random trycloudflare.com host and a URL
// that changes on every start; a named tunnel (--named, with a hostname and
// a tunnel token or name), an ngrok reserved domain and a tailnet name keep
// a stable one. mcpd's settings are loaded through mcpd's own loader before
// anything starts (McpdSettings), so a bad setting fails with mcpd's
// message, and a configuration that would publish a shell the sandbox
// cannot confine is refused unless PublicShellFlag is given.
//
// When no usable cloudflared is found, Installer fetches the pinned release
// and installs it only after its SHA-256 matches the pin (PinnedAssets);
// ngrok and tailscale are never downloaded. Child output is scrubbed of the
// connector token and the provider's credentials before it is shown or
// logged.
package tunnelctl
