package tunnelctl

import (
	"strings"
	"testing"
)

func TestQuickTunnelURL(t *testing.T) {
	cases := []struct{ line, want string }{
		{"2026-11-29T10:00:00Z INF |  https://ab-cd-ef.trycloudflare.com                                  |", "https://ab-cd-ef.trycloudflare.com"},
		{"INF Requesting new quick Tunnel on https://api.trycloudflare.com/tunnel", ""},
		{"INF see https://api.trycloudflare.com then https://Real-Host.trycloudflare.com", "https://real-host.trycloudflare.com"},
		{"INF https://evil.trycloudflare.com.attacker.example", "https://evil.trycloudflare.com"},
		{"INF Thank you for trying Cloudflare Tunnel.", ""},
	}
	for _, tc := range cases {
		got, ok := QuickTunnelURL(tc.line)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("QuickTunnelURL(%q) = %q, %v; want %q", tc.line, got, ok, tc.want)
		}
	}
}

func TestNormalizeHostname(t *testing.T) {
	cases := []struct{ in, want, wantErr string }{
		{in: "mcp.example.com", want: "mcp.example.com"},
		{in: "https://MCP.example.com/", want: "mcp.example.com"},
		{in: "https://mcp.example.com/mcp", want: "mcp.example.com"},
		{in: "mcp.example.com:8443", want: "mcp.example.com:8443"},
		{in: "http://mcp.example.com", wantErr: "must use https"},
		{in: "https://mcp.example.com/?x=1", wantErr: "query"},
		{in: "https://mcp.example.com/admin", wantErr: "a host, a URL root, or a /mcp URL"},
		{in: "https://user@mcp.example.com", wantErr: "plain host"},
		{in: " ", wantErr: "empty"},
	}
	for _, tc := range cases {
		got, err := NormalizeHostname(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "--hostname") {
				t.Errorf("NormalizeHostname(%q) err = %v, want %q naming --hostname", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("NormalizeHostname(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestConnectorURLAndRedaction(t *testing.T) {
	u := ConnectorURL("https://a.trycloudflare.com/", "tok+/=")
	if u != "https://a.trycloudflare.com/mcp?codexpro_token=tok%2B%2F%3D" {
		t.Errorf("ConnectorURL = %s", u)
	}
	if got := redactURL("GET " + u + " failed"); strings.Contains(got, "tok%2B") || !strings.Contains(got, "codexpro_token=<redacted> failed") {
		t.Errorf("redactURL left the token: %s", got)
	}
}

func TestLineWriterScrubsAndCaps(t *testing.T) {
	var seen []string
	w := newLineWriter(2, scrubber{"s3cret"}, func(l string) { seen = append(seen, l) })
	w.Write([]byte("one s3cret\ntw"))
	w.Write([]byte("o\r\nthree\n"))
	w.Write([]byte(strings.Repeat("x", maxLineBytes+10)))
	if seen[0] != "one "+Redacted || seen[1] != "two" || len(seen) != 4 {
		t.Errorf("lines %q", seen[:min(len(seen), 3)])
	}
	if tail := w.Tail(); strings.Count(tail, "\n") != 1 || !strings.HasPrefix(tail, "three") {
		t.Errorf("tail keeps the last 2 lines, got %q", tail[:min(len(tail), 20)])
	}
}
