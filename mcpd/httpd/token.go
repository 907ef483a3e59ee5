package httpd

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// GenerateToken returns 32 random bytes as 64 hex characters.
func GenerateToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// ConnectorURL is the URL to paste into an MCP client that cannot send
// headers. A wildcard bind host becomes 127.0.0.1, the address that works
// from the same machine.
func ConnectorURL(host string, port int, token string) string {
	if host == "" || isUnspecified(host) {
		host = "127.0.0.1"
	}
	u := url.URL{
		Scheme:   "http",
		Host:     net.JoinHostPort(host, strconv.Itoa(port)),
		Path:     "/mcp",
		RawQuery: url.Values{TokenQueryParam: {token}}.Encode(),
	}
	return u.String()
}

// StdioSnippet is the mcpServers entry that starts mcpd over stdio, for
// clients configured with a JSON file (Claude Desktop, Cursor, …).
func StdioSnippet(binPath, root string) string {
	type server struct {
		Command string   `json:"command"`
		Args    []string `json:"args"`
	}
	cfg := map[string]map[string]server{"mcpServers": {"codexpro": {
		Command: binPath,
		Args:    []string{"--root", root, "--transport", "stdio"},
	}}}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("marshal stdio snippet: %v", err)) // strings and slices always marshal
	}
	return string(data)
}
