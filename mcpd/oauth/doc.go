// Package oauth makes mcpd its own OAuth 2.1 authorization server and
// resource server, so a connector such as ChatGPT's can reach /mcp with no
// secret in its URL.
//
// The flow is the one the MCP specification names: protected-resource
// metadata (RFC 9728) points at authorization-server metadata (RFC 8414); a
// client registers itself (RFC 7591, public clients only, redirect URIs on
// an allow-list); it sends the user to /authorize with PKCE S256; the user
// approves by typing the short pairing code mcpd prints in their terminal at
// that moment; the client trades the single-use code for a short-lived
// access token and a rotating refresh token, both bound to this server's
// /mcp resource (RFC 8707).
//
// What it guarantees: no credential is stored in clear (tokens, codes and
// pairing codes are kept as SHA-256 digests in a 0600 file under
// CODEXPRO_HOME); nothing is granted without the pairing code, which never
// leaves the machine mcpd runs on; a code is used once; a replayed refresh
// token revokes its whole grant. What it does not: it does not authenticate
// the person at the browser beyond the pairing code, and a stolen access
// token works until it expires (one hour) or the grant is revoked.
package oauth
