package mcpd

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"

	"codexpro.dev/pkg/config"
)

// TestAnnounceNamesTheNextStep: after the URL a new user learns what to do
// (ChatGPT needs tunnelctl up, local clients the stdio snippet, Ctrl-C stops).
func TestAnnounceNamesTheNextStep(t *testing.T) {
	var out bytes.Buffer
	s := config.Settings{Root: "/w", Host: "127.0.0.1", Token: strings.Repeat("a", 32), TokenSource: "generated"}
	announce(&out, s, 8787, false)
	for _, want := range []string{"tunnelctl up", "stdio client", "Ctrl-C"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("announcement lacks %q:\n%s", want, out.String())
		}
	}
}

// TestAnnounceShowsProfileTokenOnlyToItsUser: a saved profile's token is
// printed inside the URLs on a loopback bind in a terminal, never when the
// output is not a terminal or the bind is public, and a token from a flag or
// variable never.
func TestAnnounceShowsProfileTokenOnlyToItsUser(t *testing.T) {
	token := strings.Repeat("p", 40)
	tests := []struct {
		name, host, source string
		tty, shown         bool
	}{
		{"profile, loopback, terminal", "127.0.0.1", "profile", true, true},
		{"profile, loopback, piped", "127.0.0.1", "profile", false, false},
		{"profile, public bind, terminal", "0.0.0.0", "profile", true, false},
		{"env token, terminal", "127.0.0.1", "env", true, false},
		{"token file, terminal", "127.0.0.1", "file", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			announce(&out, config.Settings{Root: "/w", Host: tc.host, Token: token, TokenSource: tc.source}, 9000, tc.tty)
			got := strings.Contains(out.String(), "codexpro_token="+token)
			if got != tc.shown {
				t.Fatalf("token shown=%v, want %v:\n%s", got, tc.shown, out.String())
			}
			if !tc.shown && strings.Contains(out.String(), token) {
				t.Fatalf("token leaked outside a URL:\n%s", out.String())
			}
		})
	}
}

// TestBusyPortNamesTheFix: a port in use says how to pick another.
func TestBusyPortNamesTheFix(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	_, err = net.Listen("tcp", ln.Addr().String())
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Skipf("this OS reports a busy port as %v", err)
	}
	msg := listenError(config.Settings{Host: "127.0.0.1", Port: port}, err).Error()
	for _, want := range []string{"already in use", "--port 0", "PORT="} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
}
