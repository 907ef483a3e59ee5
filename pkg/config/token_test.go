package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodToken = "0123456789abcdef0123456789abcdef"

func tokenFile(t *testing.T, content string, perm os.FileMode) string {
	t.Helper()
	p := filepath.Join(realTemp(t), "token")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, perm); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTokenFile(t *testing.T) {
	good := tokenFile(t, "\n  "+goodToken+"  \n", 0o600)
	s := mustLoad(t, Flags{"token-file": {good}}, nil)
	if s.Token != goodToken || s.TokenSource != "file" {
		t.Fatalf("Token = %q (%s), want trimmed file token", s.Token, s.TokenSource)
	}
	s = mustLoad(t, Flags{}, map[string]string{"CODEXPRO_TOKEN_FILE": tokenFile(t, goodToken, 0o400)})
	if s.TokenSource != "file" {
		t.Fatalf("CODEXPRO_TOKEN_FILE: source %q", s.TokenSource)
	}

	loose := tokenFile(t, goodToken, 0o640)
	otherRead := tokenFile(t, goodToken, 0o604)
	tests := []struct {
		name  string
		flags Flags
		env   map[string]string
		want  []string
	}{
		{"group readable", Flags{"token-file": {loose}}, nil, []string{"--token-file " + loose, "0640", "chmod 600 " + loose}},
		{"world readable", Flags{"token-file": {otherRead}}, nil, []string{"chmod 600 " + otherRead}},
		{"empty", Flags{"token-file": {tokenFile(t, " \n", 0o600)}}, nil, []string{"file is empty"}},
		{"short", Flags{"token-file": {tokenFile(t, "short-token", 0o600)}}, nil, []string{"at least 24 bytes (got 11)"}},
		{"directory", Flags{"token-file": {realTemp(t)}}, nil, []string{"not a regular file"}},
		{"missing", Flags{"token-file": {"/nope/token"}}, nil, []string{"--token-file /nope/token"}},
		{"env and file", Flags{"token-file": {good}}, map[string]string{"CODEXPRO_HTTP_TOKEN": goodToken}, []string{"CODEXPRO_HTTP_TOKEN", "--token-file", "use one of them"}},
		{"short env", Flags{}, map[string]string{"CODEXPRO_HTTP_TOKEN": "short-token"}, []string{"CODEXPRO_HTTP_TOKEN must be at least 24 bytes (got 11)"}},
		{"short legacy env", Flags{}, map[string]string{"CODEBASE_BRIDGE_HTTP_TOKEN": "short-token"}, []string{"CODEBASE_BRIDGE_HTTP_TOKEN must be at least 24 bytes"}},
		{"short env on stdio", Flags{"transport": {"stdio"}}, map[string]string{"CODEXPRO_HTTP_TOKEN": "short-token"}, []string{"at least 24 bytes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := loadErr(t, tc.flags, tc.env, tc.want...)
			if strings.Contains(err.Error(), "short-token") || strings.Contains(err.Error(), goodToken) {
				t.Errorf("error %q shows the token", err)
			}
		})
	}
}

// TestFailClosedMatrix tries every way to start an unauthenticated server
// that others could reach.
func TestFailClosedMatrix(t *testing.T) {
	tok := map[string]string{"CODEXPRO_HTTP_TOKEN": goodToken}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		name    string
		flags   Flags
		env     map[string]string
		source  string // expected TokenSource when allowed
		noAuth  bool
		wantErr []string
	}{
		{"loopback no token generates", Flags{}, nil, "generated", false, nil},
		{"loopback env token", Flags{}, tok, "env", false, nil},
		{"localhost no-auth", Flags{"host": {"localhost"}, "no-auth": {"true"}}, nil, "none", true, nil},
		{"127.0.0.5 no-auth", Flags{"host": {"127.0.0.5"}, "no-auth": {"true"}}, nil, "none", true, nil},
		{"::1 no-auth", Flags{"host": {"::1"}, "no-auth": {"true"}}, nil, "none", true, nil},
		{"legacy allow-no-token on loopback", Flags{}, map[string]string{"CODEXPRO_ALLOW_NO_HTTP_TOKEN": "1"}, "none", true, nil},
		{"0.0.0.0 with token", Flags{"host": {"0.0.0.0"}}, tok, "env", false, nil},
		{"stdio without token", Flags{"transport": {"stdio"}, "host": {"0.0.0.0"}}, nil, "none", false, nil},
		{"0.0.0.0 without token", Flags{"host": {"0.0.0.0"}}, nil, "", false, []string{"CODEXPRO_HTTP_TOKEN is required", `--host is "0.0.0.0", which is not loopback`}},
		{"env host without token", Flags{}, map[string]string{"CODEXPRO_HOST": "192.168.1.5"}, "", false, []string{`CODEXPRO_HOST is "192.168.1.5"`}},
		{"zsh HOST without token", Flags{}, map[string]string{"HOST": "mybox"}, "", false, []string{`HOST is "mybox"`}},
		{":: without token", Flags{"host": {"::"}}, nil, "", false, []string{"not loopback"}},
		{"no-auth on 0.0.0.0", Flags{"host": {"0.0.0.0"}, "no-auth": {"true"}}, nil, "", false, []string{"--no-auth is only allowed on a loopback host", `"0.0.0.0"`}},
		{"allow-no-token on 0.0.0.0", Flags{}, map[string]string{"CODEXPRO_HOST": "0.0.0.0", "CODEXPRO_ALLOW_NO_HTTP_TOKEN": "1"}, "", false, []string{"CODEXPRO_ALLOW_NO_HTTP_TOKEN is only allowed on a loopback host"}},
		{"no-auth with token", Flags{"no-auth": {"true"}}, tok, "", false, []string{"--no-auth", "CODEXPRO_HTTP_TOKEN", "drop one"}},
		{"tunnel mode without token", Flags{}, map[string]string{"CODEXPRO_TUNNEL_MODE": "1"}, "", false, []string{"CODEXPRO_HTTP_TOKEN is required because CODEXPRO_TUNNEL_MODE=1"}},
		{"require token without token", Flags{}, map[string]string{"CODEXPRO_REQUIRE_HTTP_TOKEN": "true"}, "", false, []string{"CODEXPRO_REQUIRE_HTTP_TOKEN=1"}},
		{"tunnel mode with token", Flags{}, with(tok, "CODEXPRO_TUNNEL_MODE", "1"), "env", false, nil},
		{"tunnel mode no-auth", Flags{"no-auth": {"true"}}, map[string]string{"CODEXPRO_TUNNEL_MODE": "1"}, "", false, []string{"--no-auth conflicts with CODEXPRO_TUNNEL_MODE"}},
		{"tunnel mode off", Flags{}, map[string]string{"CODEXPRO_TUNNEL_MODE": "0"}, "generated", false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := load(t, tc.flags, tc.env)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("started with host %q, token source %q, no-auth %v; want refusal", s.Host, s.TokenSource, s.NoAuth)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q\nmissing %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if s.TokenSource != tc.source || s.NoAuth != tc.noAuth {
				t.Fatalf("TokenSource %q NoAuth %v, want %q %v", s.TokenSource, s.NoAuth, tc.source, tc.noAuth)
			}
			if !s.NoAuth && s.Transport == "http" && len(s.Token) < MinTokenBytes {
				t.Fatalf("HTTP without no-auth has a weak token (%d bytes)", len(s.Token))
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "localhost": true, "LOCALHOST": true, "::1": true, "[::1]": true,
		"0.0.0.0": false, "::": false, "192.168.0.1": false, "localhost.evil.com": false, "": false, "128.0.0.1": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestAuthModes: --auth oauth is read from flag and variable, an unknown
// mode names the setting, and oauth with --no-auth is refused.
func TestAuthModes(t *testing.T) {
	root := realTemp(t)
	s, err := Load(Flags{"root": {root}, "auth": {"oauth"}, "oauth-redirect-hosts": {"chat.example.com"}}, envOf(t, nil))
	if err != nil || s.Auth != "oauth" || len(s.OAuthRedirectHosts) != 1 || s.OAuthRedirectHosts[0] != "chat.example.com" {
		t.Fatalf("Load --auth oauth: %+v %v", s.OAuthRedirectHosts, err)
	}
	if s, err := Load(Flags{"root": {root}}, envOf(t, map[string]string{"CODEXPRO_AUTH": "OAuth"})); err != nil || s.Auth != "oauth" {
		t.Fatalf("CODEXPRO_AUTH=OAuth: %q %v", s.Auth, err)
	}
	for _, tc := range []struct {
		flags Flags
		want  string
	}{
		{Flags{"root": {root}, "auth": {"password"}}, "--auth"},
		{Flags{"root": {root}, "auth": {"oauth"}, "no-auth": {"true"}}, "oauth"},
		{Flags{"root": {root}, "oauth-redirect-hosts": {"bad host!"}}, "--oauth-redirect-hosts"},
		{Flags{"root": {root}, "oauth-redirect-hosts": {"chatgpt.com:8443"}}, "--oauth-redirect-hosts"},
	} {
		if _, err := Load(tc.flags, envOf(t, nil)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load %v: %v, want an error naming %s", tc.flags, err, tc.want)
		}
	}
}
