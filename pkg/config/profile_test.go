package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withProfile saves p for root under a fresh CODEXPRO_HOME and returns the
// environment pointing at it.
func withProfile(t *testing.T, root string, p Profile, kv map[string]string) (func(string) (string, bool), ProfileStore) {
	t.Helper()
	home := realTemp(t)
	store := NewProfileStore(home)
	p.Root = root
	if _, err := store.Save(p); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{"CODEXPRO_HOME": home}
	for k, v := range kv {
		m[k] = v
	}
	return envOf(t, m), store
}

func yes() *bool { b := true; return &b }

// Every profile field sits between the environment and the defaults.
func TestProfilePrecedence(t *testing.T) {
	tests := []struct {
		name    string
		profile Profile
		env     map[string]string
		flags   Flags
		get     func(Settings) any
		want    any
	}{
		{"bash from profile", Profile{Bash: "full"}, nil, Flags{}, func(s Settings) any { return s.BashMode }, "full"},
		{"bash env beats profile", Profile{Bash: "full"}, map[string]string{"CODEXPRO_BASH_MODE": "off"}, Flags{}, func(s Settings) any { return s.BashMode }, "off"},
		{"bash flag beats env", Profile{Bash: "full"}, map[string]string{"CODEXPRO_BASH_MODE": "off"}, Flags{"bash": {"safe"}}, func(s Settings) any { return s.BashMode }, "safe"},
		{"--no-bash beats profile", Profile{Bash: "full"}, nil, Flags{"no-bash": {"true"}}, func(s Settings) any { return s.BashMode }, "off"},
		{"port", Profile{Port: "9911"}, nil, Flags{}, func(s Settings) any { return s.Port }, 9911},
		{"port env", Profile{Port: "9911"}, map[string]string{"CODEXPRO_PORT": "9912"}, Flags{}, func(s Settings) any { return s.Port }, 9912},
		{"mode and write", Profile{Mode: "handoff", Write: "off"}, nil, Flags{}, func(s Settings) any { return s.Mode + "/" + s.WriteMode }, "handoff/off"},
		{"tool mode", Profile{ToolMode: "full"}, nil, Flags{}, func(s Settings) any { return s.ToolMode }, "full"},
		{"tool mode flag", Profile{ToolMode: "full"}, nil, Flags{"tool-mode": {"minimal"}}, func(s Settings) any { return s.ToolMode }, "minimal"},
		{"tool cards", Profile{ToolCards: yes()}, nil, Flags{}, func(s Settings) any { return s.ToolCards }, true},
		{"tool cards env off", Profile{ToolCards: yes()}, map[string]string{"CODEXPRO_TOOL_CARDS": "0"}, Flags{}, func(s Settings) any { return s.ToolCards }, false},
		{"transcript", Profile{BashTranscript: "full"}, nil, Flags{}, func(s Settings) any { return s.BashTranscript }, "full"},
		{"session", Profile{BashSession: "s1", RequireBashSession: yes()}, nil, Flags{}, func(s Settings) any { return s.BashSession + "/" + boolStr(s.RequireBashSession) }, "s1/true"},
		{"sandbox", Profile{Sandbox: "off", SandboxNet: yes()}, nil, Flags{}, func(s Settings) any { return s.Sandbox + "/" + boolStr(s.SandboxNet) }, "off/true"},
		{"codex sessions", Profile{CodexSessions: "read"}, nil, Flags{}, func(s Settings) any { return s.CodexSessions }, "read"},
		{"widget", Profile{WidgetDomain: "https://w.example.com"}, nil, Flags{}, func(s Settings) any { return s.WidgetDomain }, "https://w.example.com"},
		{"hostname", Profile{Hostname: "t.example.com"}, nil, Flags{}, func(s Settings) any { return strings.Join(s.PublicHostnames, ",") }, "t.example.com"},
		{"hostname env wins", Profile{Hostname: "t.example.com"}, map[string]string{"CODEXPRO_PUBLIC_HOSTNAME": "u.example.com"}, Flags{}, func(s Settings) any { return strings.Join(s.PublicHostnames, ",") }, "u.example.com"},
		{"--no-profile", Profile{Bash: "full"}, nil, Flags{"no-profile": {"true"}}, func(s Settings) any { return s.BashMode }, "safe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := realTemp(t)
			env, store := withProfile(t, root, tc.profile, tc.env)
			tc.flags["root"] = []string{root}
			s, err := Load(tc.flags, env)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.get(s); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if wantPath := store.Path(root); tc.flags[NoProfile] == nil && s.ProfilePath != wantPath {
				t.Fatalf("ProfilePath %q, want %q", s.ProfilePath, wantPath)
			}
		})
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestProfileAllowedRootsJoinTheUnion(t *testing.T) {
	root, extra := realTemp(t), realTemp(t)
	env, _ := withProfile(t, root, Profile{AllowedRoots: []string{extra}}, nil)
	s, err := Load(Flags{"root": {root}}, env)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.AllowedRoots) != 2 || s.AllowedRoots[1] != extra {
		t.Fatalf("AllowedRoots = %v, want [%s %s]", s.AllowedRoots, root, extra)
	}
}

func TestProfileBadValueNamesFileAndField(t *testing.T) {
	root := realTemp(t)
	env, store := withProfile(t, root, Profile{Bash: "yolo"}, nil)
	_, err := Load(Flags{"root": {root}}, env)
	if err == nil {
		t.Fatal("a profile with bash=yolo loaded")
	}
	for _, want := range []string{store.Path(root), `bash="yolo"`, "off, safe, full", "mcpd settings set --bash"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\nmissing %q", err, want)
		}
	}
}

func TestMalformedProfileNamesPathAndDeleteWorks(t *testing.T) {
	root := realTemp(t)
	home := realTemp(t)
	store := NewProfileStore(home)
	if err := os.MkdirAll(store.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := store.Path(root)
	if err := os.WriteFile(path, []byte(`{"version":1, "root": `), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Flags{"root": {root}}, envOf(t, map[string]string{"CODEXPRO_HOME": home}))
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "mcpd settings delete") {
		t.Fatalf("Load error %v, want one naming %s and the way out", err, path)
	}
	if _, err := Load(Flags{"root": {root}, "no-profile": {"true"}}, envOf(t, map[string]string{"CODEXPRO_HOME": home})); err != nil {
		t.Fatalf("--no-profile still reads the broken profile: %v", err)
	}
	list, err := store.List()
	if err != nil || len(list) != 1 || list[0].Err == nil {
		t.Fatalf("List = %+v, %v; want the broken file with its error", list, err)
	}
	removed, err := store.Delete(root)
	if err != nil || len(removed) != 1 || removed[0] != path {
		t.Fatalf("Delete = %v, %v", removed, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("profile still there: %v", err)
	}
}

func TestProfileOfAnotherRootIsRefused(t *testing.T) {
	root, other := realTemp(t), realTemp(t)
	store := NewProfileStore(realTemp(t))
	if _, err := store.Save(Profile{Root: other}); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(store.Path(other), store.Path(root)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Load(root); err == nil || !strings.Contains(err.Error(), other) {
		t.Fatalf("Load of a file naming another root: %v", err)
	}
}

func TestSaveIsPrivateAndKeepsTokensOutOfJSON(t *testing.T) {
	root := realTemp(t)
	store := NewProfileStore(filepath.Join(realTemp(t), "home"))
	const tok = "legacy-token-0123456789abcdef0123456789"
	saved, err := store.Save(Profile{Root: root, Bash: "off", LegacyToken: tok, LegacyCloudflareToken: "eyJcloudflare-secret"})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{store.Dir: 0o700, store.Path(root): 0o600, saved.TokenFile: 0o600, saved.CloudflareTokenFile: 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s mode %04o, want %04o", path, got, want)
		}
	}
	data, _ := os.ReadFile(store.Path(root))
	if strings.Contains(string(data), tok) || strings.Contains(string(data), "eyJcloudflare") {
		t.Fatalf("profile JSON holds a secret:\n%s", data)
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "root", "updatedAt", "bash", "tokenFile"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("profile JSON lacks %q: %s", k, data)
		}
	}
	s, err := Load(Flags{"root": {root}}, envOf(t, map[string]string{"CODEXPRO_HOME": filepath.Dir(store.Dir)}))
	if err != nil {
		t.Fatal(err)
	}
	if s.Token != tok || s.TokenSource != "profile" {
		t.Fatalf("token %q from %q, want the migrated token from the profile", s.Token, s.TokenSource)
	}
}

func TestProfileTokenFile(t *testing.T) {
	root := realTemp(t)
	home := realTemp(t)
	store := NewProfileStore(home)
	const tok = "profile-token-0123456789abcdef0123456789"
	path, err := store.WriteToken(root, tok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Save(Profile{Root: root, TokenFile: path}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"CODEXPRO_HOME": home}
	s, err := Load(Flags{"root": {root}}, envOf(t, env))
	if err != nil || s.Token != tok || s.TokenSource != "profile" {
		t.Fatalf("Load = %q/%q, %v; want the profile's token", s.Token, s.TokenSource, err)
	}
	env["CODEXPRO_HTTP_TOKEN"] = "env-token-0123456789abcdef0123456789"
	if s, err = Load(Flags{"root": {root}}, envOf(t, env)); err != nil || s.TokenSource != "env" {
		t.Fatalf("env token did not outrank the profile: %q, %v", s.TokenSource, err)
	}
	delete(env, "CODEXPRO_HTTP_TOKEN")
	if s, err = Load(Flags{"root": {root}, "no-auth": {"true"}}, envOf(t, env)); err != nil || !s.NoAuth || s.Token != "" {
		t.Fatalf("--no-auth did not outrank the profile's token: %+v, %v", s, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(Flags{"root": {root}}, envOf(t, env))
	if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) || !strings.Contains(err.Error(), store.Path(root)) {
		t.Fatalf("0644 token file: %v", err)
	}
}
