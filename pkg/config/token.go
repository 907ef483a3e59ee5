package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// loadToken reads the bearer token and applies the fail-closed matrix:
//   - stdio needs no token (a given one must still be strong);
//   - a non-loopback HTTP host needs a token, and --no-auth is refused there;
//   - CODEXPRO_TUNNEL_MODE / CODEXPRO_REQUIRE_HTTP_TOKEN need an explicit token;
//   - loopback HTTP without a token gets a fresh random one ("generated").
func (l *loader) loadToken(s *Settings) error {
	token, source, err := l.readToken()
	if err != nil {
		return err
	}
	s.Token, s.TokenSource = token, source
	noAuth, nr := l.boolean(kNoAuth)
	if noAuth && source == "profile" {
		// --no-auth outranks the saved token, as a flag outranks a profile.
		token, source = "", "none"
		s.Token, s.TokenSource = token, source
	}
	required, rr := l.tokenRequired()
	if len(l.errs) > 0 {
		return errors.Join(l.errs...)
	}
	if s.Transport == "stdio" {
		return nil
	}
	hostFrom := "--host/CODEXPRO_HOST"
	if r := l.lookup(kHost, false); r.set {
		hostFrom = r.from
	}
	switch {
	case noAuth && s.Auth == "oauth":
		return fmt.Errorf("%s turns authentication off, but --auth/CODEXPRO_AUTH is oauth: drop one of them", nr.from)
	case noAuth && token != "":
		return fmt.Errorf("%s turns authentication off, but a token was given (%s): drop one of them", nr.from, tokenFrom(source))
	case noAuth && !IsLoopback(s.Host):
		return fmt.Errorf("%s is only allowed on a loopback host (127.0.0.1, localhost, ::1), but %s is %q: anyone who can reach that address could read and change the workspace", nr.from, hostFrom, s.Host)
	case noAuth && required:
		return fmt.Errorf("%s conflicts with %s=1, which requires a token (tunnels are reachable from the internet)", nr.from, rr.from)
	case noAuth:
		s.NoAuth = true
	case token == "" && !IsLoopback(s.Host):
		return fmt.Errorf("CODEXPRO_HTTP_TOKEN is required for this HTTP binding: %s is %q, which is not loopback, so anyone on the network could reach the server; set CODEXPRO_HTTP_TOKEN or --token-file (at least %d bytes)", hostFrom, s.Host, MinTokenBytes)
	case token == "" && required:
		return fmt.Errorf("CODEXPRO_HTTP_TOKEN is required because %s=1 (a tunnel exposes the server to the internet); set CODEXPRO_HTTP_TOKEN or --token-file (at least %d bytes)", rr.from, MinTokenBytes)
	case token == "":
		generated, err := generateToken()
		if err != nil {
			return fmt.Errorf("generate an HTTP token: %w", err)
		}
		s.Token, s.TokenSource = generated, "generated"
	}
	return nil
}

func (l *loader) tokenRequired() (bool, raw) {
	if req, r := l.boolean(kRequireToken); req {
		return true, r
	}
	return l.boolean(kTunnelMode)
}

func tokenFrom(source string) string {
	switch source {
	case "file":
		return "--token-file"
	case "profile":
		return "the saved profile"
	}
	return "CODEXPRO_HTTP_TOKEN"
}

// readToken returns the token from the environment or --token-file (never
// both), else from the profile's token file, else from a CodexPro 0.30
// profile's plaintext token.
func (l *loader) readToken() (token, source string, err error) {
	envTok := l.lookup(kToken, false)
	file := l.lookup(kTokenFile, false)
	if file.file != "" && envTok.set {
		file = raw{} // the environment outranks the profile
	}
	switch {
	case envTok.set && file.set:
		return "", "", fmt.Errorf("both %s and %s give a token: use one of them", envTok.from, file.from)
	case envTok.set:
		token = strings.TrimSpace(envTok.value)
		if len(token) < MinTokenBytes {
			return "", "", fmt.Errorf("%s must be at least %d bytes (got %d); generate one with: openssl rand -hex 32", envTok.from, MinTokenBytes, len(token))
		}
		return token, "env", nil
	case file.file != "":
		token, err = readTokenFile(file)
		if err != nil {
			return "", "", fmt.Errorf("profile %s: %w", file.file, err)
		}
		return token, "profile", nil
	case file.set:
		token, err = readTokenFile(file)
		return token, "file", err
	case l.profileLegacyTok.set:
		token = strings.TrimSpace(l.profileLegacyTok.value)
		if len(token) < MinTokenBytes {
			return "", "", fmt.Errorf("%s must be at least %d bytes (got %d); replace it: mcpd settings set --new-token", l.profileLegacyTok.from, MinTokenBytes, len(token))
		}
		return token, "profile", nil
	}
	return "", "none", nil
}

// readTokenFile refuses files others can read: a token readable by other
// users is a token they can use.
func readTokenFile(r raw) (string, error) {
	path := r.value
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", r.from, path, err)
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("%s %s: not a regular file", r.from, path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("%s %s: permissions %04o let other users read the token; run: chmod 600 %s", r.from, path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", r.from, path, err)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", fmt.Errorf("%s %s: file is empty", r.from, path)
	}
	if len(token) < MinTokenBytes {
		return "", fmt.Errorf("%s %s: token must be at least %d bytes (got %d)", r.from, path, MinTokenBytes, len(token))
	}
	return token, nil
}

// generateToken matches httpd.GenerateToken: 32 random bytes, hex.
func generateToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
