package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// envOf is a fake environment; HOME points at a temp dir so tests never
// depend on the real home.
func envOf(t *testing.T, kv map[string]string) func(string) (string, bool) {
	t.Helper()
	m := map[string]string{"HOME": t.TempDir()}
	for k, v := range kv {
		m[k] = v
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func realTemp(t *testing.T) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func load(t *testing.T, f Flags, kv map[string]string) (Settings, error) {
	t.Helper()
	if f == nil {
		f = Flags{}
	}
	if _, ok := f["root"]; !ok && kv["CODEXPRO_ROOT"] == "" && kv["CODEBASE_BRIDGE_REPO_ROOT"] == "" {
		f["root"] = []string{realTemp(t)}
	}
	return Load(f, envOf(t, kv))
}

func mustLoad(t *testing.T, f Flags, kv map[string]string) Settings {
	t.Helper()
	s, err := load(t, f, kv)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestDefaults(t *testing.T) {
	root := realTemp(t)
	env := envOf(t, nil)
	home, _ := env("HOME")
	s, err := Load(Flags{"root": {root}}, env)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Root", s.Root, root},
		{"AllowedRoots", strings.Join(s.AllowedRoots, ","), root},
		{"Transport", s.Transport, "http"},
		{"Host", s.Host, "127.0.0.1"},
		{"Port", s.Port, 8787},
		{"TokenSource", s.TokenSource, "generated"},
		{"token length", len(s.Token), 64},
		{"Mode", s.Mode, "agent"},
		{"WriteMode", s.WriteMode, "workspace"},
		{"ToolMode", s.ToolMode, "standard"},
		{"BashMode", s.BashMode, "safe"},
		{"BashTranscript", s.BashTranscript, "compact"},
		{"Sandbox", s.Sandbox, "auto"},
		{"CodexSessions", s.CodexSessions, "off"},
		{"CodexDir", s.CodexDir, filepath.Join(home, ".codex")},
		{"Home", s.Home, filepath.Join(home, ".codexpro")},
		{"Analysis", s.Analysis, true},
		{"MaxReadBytes", s.MaxReadBytes, int64(180_000)},
		{"MaxWriteBytes", s.MaxWriteBytes, int64(1_000_000)},
		{"MaxOutputBytes", s.MaxOutputBytes, int64(120_000)},
		{"MaxImportBytes", s.MaxImportBytes, int64(5_000_000)},
		{"MaxBashTimeoutMs", s.MaxBashTimeoutMs, 600_000},
		{"MaxSearchResults", s.MaxSearchResults, 200},
		{"MaxHTTPSessions", s.MaxHTTPSessions, 64},
		{"HTTPSessionTTL", s.HTTPSessionTTL, 30 * time.Minute},
		{"ContextDir", s.ContextDir, ".ai-bridge"},
		{"LogLevel", s.LogLevel, "info"},
		{"WidgetDomain", s.WidgetDomain, "https://rebel0789.github.io"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestDefaultRootIsWorkingDirectory(t *testing.T) {
	dir := realTemp(t)
	t.Chdir(dir)
	s, err := Load(Flags{}, envOf(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if s.Root != dir {
		t.Fatalf("Root = %q, want cwd %q", s.Root, dir)
	}
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		flags Flags
		env   map[string]string
		get   func(Settings) any
		want  any
	}{
		{"port default", Flags{}, nil, func(s Settings) any { return s.Port }, 8787},
		{"port env", Flags{}, map[string]string{"CODEXPRO_PORT": "9000"}, func(s Settings) any { return s.Port }, 9000},
		{"port legacy env", Flags{}, map[string]string{"PORT": "9001"}, func(s Settings) any { return s.Port }, 9001},
		{"port new env beats legacy", Flags{}, map[string]string{"CODEXPRO_PORT": "9000", "PORT": "9001"}, func(s Settings) any { return s.Port }, 9000},
		{"port flag beats env", Flags{"port": {"9100"}}, map[string]string{"CODEXPRO_PORT": "9000"}, func(s Settings) any { return s.Port }, 9100},
		{"port zero picks free port", Flags{"port": {"0"}}, nil, func(s Settings) any { return s.Port }, 0},
		{"host legacy env", Flags{}, map[string]string{"HOST": "localhost"}, func(s Settings) any { return s.Host }, "localhost"},
		{"host flag beats env", Flags{"host": {"::1"}}, map[string]string{"CODEXPRO_HOST": "localhost"}, func(s Settings) any { return s.Host }, "::1"},
		{"empty env is unset", Flags{}, map[string]string{"CODEXPRO_HOST": "", "HOST": "localhost"}, func(s Settings) any { return s.Host }, "localhost"},
		{"tool mode env", Flags{}, map[string]string{"CODEXPRO_TOOL_MODE": "FULL"}, func(s Settings) any { return s.ToolMode }, "full"},
		{"tool mode flag", Flags{"tool-mode": {"minimal"}}, map[string]string{"CODEXPRO_TOOL_MODE": "full"}, func(s Settings) any { return s.ToolMode }, "minimal"},
		{"bash env", Flags{}, map[string]string{"CODEXPRO_BASH_MODE": "full"}, func(s Settings) any { return s.BashMode }, "full"},
		{"bash flag", Flags{"bash": {"off"}}, map[string]string{"CODEXPRO_BASH_MODE": "full"}, func(s Settings) any { return s.BashMode }, "off"},
		{"no-bash", Flags{"no-bash": {"true"}}, map[string]string{"CODEXPRO_BASH_MODE": "full"}, func(s Settings) any { return s.BashMode }, "off"},
		{"tool cards env", Flags{}, map[string]string{"CODEXPRO_TOOL_CARDS": "yes"}, func(s Settings) any { return s.ToolCards }, true},
		{"tool cards flag off beats env", Flags{"tool-cards": {"false"}}, map[string]string{"CODEXPRO_TOOL_CARDS": "1"}, func(s Settings) any { return s.ToolCards }, false},
		{"sandbox net flag", Flags{"sandbox-net": {"true"}}, nil, func(s Settings) any { return s.SandboxNet }, true},
		{"analysis off", Flags{}, map[string]string{"CODEXPRO_ANALYSIS": "0"}, func(s Settings) any { return s.Analysis }, false},
		{"log level flag", Flags{"log-level": {"debug"}}, map[string]string{"CODEXPRO_LOG_LEVEL": "error"}, func(s Settings) any { return s.LogLevel }, "debug"},
		{"codex sessions legacy true", Flags{}, map[string]string{"CODEXPRO_CODEX_SESSIONS": "1"}, func(s Settings) any { return s.CodexSessions }, "metadata"},
		{"codex sessions flag", Flags{"codex-sessions": {"read"}}, map[string]string{"CODEXPRO_CODEX_SESSIONS": "off"}, func(s Settings) any { return s.CodexSessions }, "read"},
		{"max read env", Flags{}, map[string]string{"CODEXPRO_MAX_READ_BYTES": "4000"}, func(s Settings) any { return s.MaxReadBytes }, int64(4000)},
		{"ttl env", Flags{}, map[string]string{"CODEXPRO_HTTP_SESSION_TTL_MS": "60000"}, func(s Settings) any { return s.HTTPSessionTTL }, time.Minute},
		{"blocked globs", Flags{}, map[string]string{"CODEXPRO_BLOCKED_GLOBS": " *.sqlite, ,secrets/** "}, func(s Settings) any { return strings.Join(s.BlockedGlobs, "|") }, "*.sqlite|secrets/**"},
		{"public hostnames", Flags{}, map[string]string{"CODEXPRO_PUBLIC_HOSTNAME": "https://A.example.com/mcp", "CODEXPRO_PUBLIC_HOSTNAMES": "b.example.com:8443, a.example.com"}, func(s Settings) any { return strings.Join(s.PublicHostnames, "|") }, "a.example.com|b.example.com:8443"},
		{"origins", Flags{}, map[string]string{"CODEXPRO_ALLOWED_ORIGINS": "https://ChatGPT.com/ http://localhost:6274"}, func(s Settings) any { return strings.Join(s.AllowedOrigins, "|") }, "https://chatgpt.com|http://localhost:6274"},
		{"widget domain", Flags{"widget-domain": {"https://w.example.com/"}}, nil, func(s Settings) any { return s.WidgetDomain }, "https://w.example.com"},
		{"context dir", Flags{}, map[string]string{"CODEXPRO_CONTEXT_DIR": `.ai\bridge`}, func(s Settings) any { return s.ContextDir }, ".ai/bridge"},
		{"bash session env", Flags{}, map[string]string{"CODEXPRO_BASH_SESSION_ID": " codex-main "}, func(s Settings) any { return s.BashSession }, "codex-main"},
		{"bash session flag", Flags{"bash-session": {"cli.1"}}, map[string]string{"CODEXPRO_BASH_SESSION_ID": "env"}, func(s Settings) any { return s.BashSession }, "cli.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustLoad(t, tc.flags, tc.env)
			if got := tc.get(s); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPathSettings(t *testing.T) {
	root := realTemp(t)
	s := mustLoad(t, Flags{"root": {root}, "codex-dir": {"sessions"}}, map[string]string{"CODEXPRO_HOME": "/opt/cp"})
	if s.CodexDir != filepath.Join(root, "sessions") {
		t.Errorf("relative --codex-dir = %q, want it under the root", s.CodexDir)
	}
	if s.Home != "/opt/cp" {
		t.Errorf("Home = %q", s.Home)
	}
	env := envOf(t, map[string]string{"CODEXPRO_CODEX_DIR": "~/x"})
	home, _ := env("HOME")
	s, err := Load(Flags{"root": {root}}, env)
	if err != nil {
		t.Fatal(err)
	}
	if s.CodexDir != filepath.Join(home, "x") {
		t.Errorf("~/x = %q", s.CodexDir)
	}
}

func TestInvalidValuesNameTheSetting(t *testing.T) {
	file := filepath.Join(realTemp(t), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		flags Flags
		env   map[string]string
		want  []string
	}{
		{"number word", Flags{}, map[string]string{"CODEXPRO_MAX_READ_BYTES": "abc"}, []string{`CODEXPRO_MAX_READ_BYTES="abc": want an integer from 4000 to 2000000`}},
		{"number empty", Flags{}, map[string]string{"CODEXPRO_MAX_WRITE_BYTES": ""}, []string{`CODEXPRO_MAX_WRITE_BYTES="": want an integer from 1000 to 10000000`}},
		{"number exponent", Flags{}, map[string]string{"CODEXPRO_MAX_OUTPUT_BYTES": "1e5"}, []string{`CODEXPRO_MAX_OUTPUT_BYTES="1e5"`}},
		{"number below", Flags{}, map[string]string{"CODEXPRO_MAX_SEARCH_RESULTS": "4"}, []string{"from 5 to 2000"}},
		{"number above", Flags{}, map[string]string{"CODEXPRO_MAX_BASH_TIMEOUT_MS": "900001"}, []string{"from 1000 to 900000"}},
		{"import", Flags{}, map[string]string{"CODEXPRO_MAX_IMPORT_BYTES": "-1"}, []string{"CODEXPRO_MAX_IMPORT_BYTES", "from 1000 to 50000000"}},
		{"sessions", Flags{}, map[string]string{"CODEXPRO_MAX_HTTP_SESSIONS": "0"}, []string{"CODEXPRO_MAX_HTTP_SESSIONS", "from 1 to 512"}},
		{"ttl", Flags{}, map[string]string{"CODEXPRO_HTTP_SESSION_TTL_MS": "59999"}, []string{"CODEXPRO_HTTP_SESSION_TTL_MS", "from 60000 to 86400000"}},
		{"port env names flag", Flags{}, map[string]string{"CODEXPRO_PORT": "70000"}, []string{`CODEXPRO_PORT="70000": want an integer from 0 to 65535 (flag --port)`}},
		{"port flag names env", Flags{"port": {"http"}}, nil, []string{`--port="http": want an integer from 0 to 65535 (env CODEXPRO_PORT)`}},
		{"legacy port", Flags{}, map[string]string{"PORT": ""}, []string{`PORT="": want an integer`}},
		{"enum env", Flags{}, map[string]string{"CODEXPRO_BASH_MODE": "yolo"}, []string{`CODEXPRO_BASH_MODE="yolo": want one of off, safe, full (flag --bash)`}},
		{"enum flag", Flags{"tool-mode": {"max"}}, nil, []string{`--tool-mode="max": want one of minimal, standard, full (env CODEXPRO_TOOL_MODE)`}},
		{"write", Flags{}, map[string]string{"CODEXPRO_WRITE_MODE": "yes"}, []string{"CODEXPRO_WRITE_MODE", "off, handoff, workspace"}},
		{"mode", Flags{"mode": {"god"}}, nil, []string{"--mode", "agent, handoff, pro"}},
		{"transport", Flags{"transport": {"sse"}}, nil, []string{"--transport", "http, stdio"}},
		{"transcript", Flags{}, map[string]string{"CODEXPRO_BASH_TRANSCRIPT": "long"}, []string{"CODEXPRO_BASH_TRANSCRIPT", "compact, full"}},
		{"sandbox", Flags{}, map[string]string{"CODEXPRO_SANDBOX": "docker"}, []string{"CODEXPRO_SANDBOX", "auto, landlock, seatbelt, off"}},
		{"log level", Flags{}, map[string]string{"CODEXPRO_LOG_LEVEL": "loud"}, []string{"CODEXPRO_LOG_LEVEL", "--log-level"}},
		{"codex sessions", Flags{}, map[string]string{"CODEXPRO_CODEX_SESSIONS": "all"}, []string{"CODEXPRO_CODEX_SESSIONS", "off, metadata, read"}},
		{"bool", Flags{}, map[string]string{"CODEXPRO_TOOL_CARDS": "maybe"}, []string{`CODEXPRO_TOOL_CARDS="maybe"`, "--tool-cards"}},
		{"bool inherit", Flags{}, map[string]string{"CODEXPRO_INHERIT_ENV": "2"}, []string{"CODEXPRO_INHERIT_ENV"}},
		{"bash session id", Flags{}, map[string]string{"CODEXPRO_BASH_SESSION_ID": "-bad"}, []string{"CODEXPRO_BASH_SESSION_ID", "--bash-session", "starting with a letter"}},
		{"bash session too long", Flags{"bash-session": {strings.Repeat("a", 65)}}, nil, []string{"--bash-session", "1-64"}},
		{"require session", Flags{}, map[string]string{"CODEXPRO_REQUIRE_BASH_SESSION": "1"}, []string{"CODEXPRO_REQUIRE_BASH_SESSION requires", "--bash-session"}},
		{"require session flag", Flags{"require-bash-session": {"true"}}, nil, []string{"--require-bash-session requires"}},
		{"no-bash conflict", Flags{"no-bash": {"true"}, "bash": {"full"}}, nil, []string{"--no-bash", `--bash="full"`}},
		{"widget http", Flags{}, map[string]string{"CODEXPRO_WIDGET_DOMAIN": "http://w.example.com"}, []string{"CODEXPRO_WIDGET_DOMAIN", "https origin"}},
		{"widget path", Flags{"widget-domain": {"https://w.example.com/app"}}, nil, []string{"--widget-domain"}},
		{"origin wildcard", Flags{}, map[string]string{"CODEXPRO_ALLOWED_ORIGINS": "*"}, []string{`CODEXPRO_ALLOWED_ORIGINS="*"`}},
		{"origin path", Flags{}, map[string]string{"CODEXPRO_ALLOWED_ORIGINS": "https://a.example/x"}, []string{"CODEXPRO_ALLOWED_ORIGINS"}},
		{"public host", Flags{}, map[string]string{"CODEXPRO_PUBLIC_HOSTNAMES": "ok.example.com,bad_host!"}, []string{`CODEXPRO_PUBLIC_HOSTNAMES="bad_host!"`}},
		{"public host userinfo", Flags{}, map[string]string{"CODEXPRO_PUBLIC_HOSTNAME": "https://u:p@h.example"}, []string{"CODEXPRO_PUBLIC_HOSTNAME"}},
		{"host", Flags{"host": {"http://x"}}, nil, []string{"--host"}},
		{"context dir", Flags{}, map[string]string{"CODEXPRO_CONTEXT_DIR": "src"}, []string{`CODEXPRO_CONTEXT_DIR="src"`}},
		{"missing root", Flags{"root": {"/does/not/exist"}}, nil, []string{`--root "/does/not/exist": directory does not exist`}},
		{"root is file", Flags{"root": {file}}, nil, []string{"--root", "not a directory"}},
		{"env root", Flags{}, map[string]string{"CODEXPRO_ROOT": "/does/not/exist"}, []string{"CODEXPRO_ROOT"}},
		{"allow root", Flags{"allow-root": {"/nope/a"}}, nil, []string{`--allow-root "/nope/a"`}},
		{"allowed roots env", Flags{}, map[string]string{"CODEXPRO_ALLOWED_ROOTS": os.TempDir() + ":/nope/b"}, []string{`CODEXPRO_ALLOWED_ROOTS "/nope/b"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { loadErr(t, tc.flags, tc.env, tc.want...) })
	}
}

// loadErr asserts that Load fails with an error containing every want.
func loadErr(t *testing.T, f Flags, env map[string]string, want ...string) error {
	t.Helper()
	_, err := load(t, f, env)
	if err == nil {
		t.Fatal("Load succeeded, want an error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q\nmissing %q", err, w)
		}
	}
	return err
}

func TestAllInvalidValuesReportedTogether(t *testing.T) {
	_, err := load(t, Flags{"port": {"x"}}, map[string]string{"CODEXPRO_BASH_MODE": "y", "CODEXPRO_MAX_READ_BYTES": "z"})
	if err == nil {
		t.Fatal("want error")
	}
	for _, w := range []string{"--port", "CODEXPRO_BASH_MODE", "CODEXPRO_MAX_READ_BYTES"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q misses %s", err, w)
		}
	}
}
