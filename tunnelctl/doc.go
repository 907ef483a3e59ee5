// Package tunnelctl publishes a local mcpd to the internet through
// Cloudflare's cloudflared, for clients such as ChatGPT that cannot reach
// loopback. Up starts mcpd on a free loopback port and cloudflared in front
// of it, supervises both (restarting a child that exits or stops answering
// its readiness probe), and prints the connector URL once the public side
// answers. Down and Status act on the runtime file Up keeps per workspace,
// so one workspace has one tunnel.
//
// A quick tunnel gets a random trycloudflare.com host and a URL that changes
// on every start; a named tunnel (--named, with a hostname and a tunnel
// token or name) keeps a stable one. mcpd's settings are loaded through
// mcpd's own loader before anything starts (McpdSettings), so a bad setting
// fails with mcpd's message, and a configuration that would publish a shell
// the sandbox cannot confine is refused unless PublicShellFlag is given.
//
// When no usable cloudflared is found, Installer fetches the pinned release
// and installs it only after its SHA-256 matches the pin (PinnedAssets).
// Child output is scrubbed of the connector and tunnel tokens before it is
// shown or logged.
package tunnelctl
