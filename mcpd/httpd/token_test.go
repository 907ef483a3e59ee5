package httpd

import (
	"encoding/hex"
	"encoding/json"
	"slices"
	"testing"
)

func TestGenerateToken(t *testing.T) {
	a, err := GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateToken()
	if raw, err := hex.DecodeString(a); err != nil || len(raw) != 32 {
		t.Fatalf("token %q is not 32 bytes of hex", a)
	}
	if a == b {
		t.Fatal("two tokens are equal")
	}
}

func TestConnectorURL(t *testing.T) {
	cases := []struct {
		host  string
		port  int
		token string
		want  string
	}{
		{"127.0.0.1", 8787, "abc", "http://127.0.0.1:8787/mcp?codexpro_token=abc"},
		{"localhost", 9000, "abc", "http://localhost:9000/mcp?codexpro_token=abc"},
		{"::1", 8787, "abc", "http://[::1]:8787/mcp?codexpro_token=abc"},
		{"0.0.0.0", 8787, "abc", "http://127.0.0.1:8787/mcp?codexpro_token=abc"},
		{"127.0.0.1", 8787, "a b&c", "http://127.0.0.1:8787/mcp?codexpro_token=a+b%26c"},
	}
	for _, c := range cases {
		if got := ConnectorURL(c.host, c.port, c.token); got != c.want {
			t.Errorf("ConnectorURL(%q, %d, %q) = %q, want %q", c.host, c.port, c.token, got, c.want)
		}
	}
}

func TestStdioSnippet(t *testing.T) {
	bin, root := `/opt/code pro/mcpd`, `/home/u/"quoted" repo`
	var cfg struct {
		MCPServers map[string]struct {
			Command string   `json:"command"`
			Args    []string `json:"args"`
		} `json:"mcpServers"`
	}
	if err := json.Unmarshal([]byte(StdioSnippet(bin, root)), &cfg); err != nil {
		t.Fatalf("snippet is not JSON: %v", err)
	}
	got := cfg.MCPServers["codexpro"]
	if got.Command != bin || !slices.Equal(got.Args, []string{"--root", root, "--transport", "stdio"}) {
		t.Fatalf("snippet = %+v", got)
	}
}
