package config

import (
	"strings"

	"codexpro.dev/pkg/sandbox"
)

// Setting declares one user-facing setting, once: its flag, its variables,
// its default, how a value is checked, where the profile keeps it and which
// command lines carry it. The flags of mcpd, `mcpd settings set` and
// `tunnelctl up`, the profile layer, handoff's shared variables and the
// README's settings table are all derived from Declared.
type Setting struct {
	Name        string   // the flag without dashes; the key of Flags and of the profile layer
	Envs        []string // variables, the preferred name first, legacy aliases after
	Type        Type     // how a value is read
	Default     string   // the default: parsed for enums, integers and booleans; shown as is otherwise
	Allowed     []string // the values of an enum
	Min, Max    int64    // the range of an integer
	Placeholder string   // the flag's value in help
	Help        string   // one sentence, without the variable or the default
	Profile     string   // the profile's JSON key; "" when the profile never holds it
	Scope       Scope    // where the setting appears besides its variables
	Secret      bool     // never printed, never passed on a command line
}

// Type says how a setting's value is read.
type Type int

// The types of settings.
const (
	String Type = iota // trimmed text
	Enum               // one of Allowed, case-insensitive
	Int                // a base-10 integer from Min to Max
	Bool               // 1/true/yes/on or 0/false/no/off; a negatable flag
	Switch             // a flag that only turns something on (--no-auth)
	Path               // a path; ~ expands to the home directory
	List               // a repeatable flag; variables are separated lists
)

// Scope says which command lines carry a setting as a flag.
type Scope uint

// The places a setting appears.
const (
	Serve   Scope = 1 << iota // a flag of `mcpd` (serve)
	Saved                     // a flag of `mcpd settings set`, kept in the profile
	Tunnel                    // a flag of `tunnelctl up`, passed through to mcpd
	Handoff                   // read by handoff too (through LoadShared)
)

// Has reports whether s carries every scope in want.
func (s Scope) Has(want Scope) bool { return s&want == want }

var (
	modes   = []string{"agent", "handoff", "pro"}
	writes  = []string{"off", "handoff", "workspace"}
	tools   = []string{"minimal", "standard", "full"}
	bashes  = []string{"off", "safe", "full"}
	onOffRW = []string{"off", "metadata", "read"}
)

// The settings. Order is the order of --help and of the README table.
var (
	kRoot           = &Setting{Name: "root", Envs: []string{"CODEXPRO_ROOT", "CODEBASE_BRIDGE_REPO_ROOT"}, Type: Path, Default: "current directory", Placeholder: "DIR", Help: "Default workspace root.", Scope: Serve | Tunnel | Handoff}
	kAllowRoot      = &Setting{Name: "allow-root", Envs: []string{"CODEXPRO_ALLOWED_ROOTS", "CODEBASE_BRIDGE_ALLOWED_ROOTS"}, Type: List, Placeholder: "DIR", Help: "Another directory whose subdirectories may be opened as workspaces; repeatable (variables: a list separated like PATH).", Profile: "allowedRoots", Scope: Serve | Saved | Tunnel}
	kAllowHome      = &Setting{Name: "allow-home", Envs: []string{"CODEXPRO_ALLOW_HOME"}, Type: Switch, Default: "false", Help: "Allow workspaces anywhere under your home directory.", Scope: Serve | Tunnel}
	kTransport      = &Setting{Name: "transport", Envs: []string{"CODEXPRO_TRANSPORT"}, Type: Enum, Default: "http", Allowed: []string{"http", "stdio"}, Placeholder: "http|stdio", Help: "How clients connect: Streamable HTTP or stdio.", Scope: Serve}
	kHost           = &Setting{Name: "host", Envs: []string{"CODEXPRO_HOST", "HOST"}, Type: String, Default: DefaultHost, Placeholder: "HOST", Help: "HTTP bind host; anything but loopback requires a token.", Profile: "host", Scope: Serve | Saved}
	kPort           = &Setting{Name: "port", Envs: []string{"CODEXPRO_PORT", "PORT"}, Type: Int, Default: "8787", Min: 0, Max: 65535, Placeholder: "PORT", Help: "HTTP port; 0 picks a free one.", Profile: "port", Scope: Serve | Saved}
	kToken          = &Setting{Name: "http-token", Envs: []string{"CODEXPRO_HTTP_TOKEN", "CODEBASE_BRIDGE_HTTP_TOKEN"}, Type: String, Help: "The bearer token itself (at least 24 bytes); prefer --token-file.", Secret: true}
	kTokenFile      = &Setting{Name: "token-file", Envs: []string{"CODEXPRO_TOKEN_FILE"}, Type: Path, Placeholder: "FILE", Help: "Read the bearer token from this file (mode 600, at least 24 bytes).", Profile: "tokenFile", Scope: Serve | Saved}
	kNoAuth         = &Setting{Name: "no-auth", Envs: []string{"CODEXPRO_ALLOW_NO_HTTP_TOKEN"}, Type: Switch, Default: "false", Help: "Serve HTTP without a token; loopback hosts only.", Scope: Serve}
	kAuth           = &Setting{Name: "auth", Envs: []string{"CODEXPRO_AUTH"}, Type: Enum, Default: "token", Allowed: []string{"token", "oauth"}, Placeholder: "MODE", Help: "How HTTP clients sign in: the bearer token, or OAuth 2.1 approved with a pairing code (no secret in the connector URL).", Profile: "auth", Scope: Serve | Saved | Tunnel}
	kOAuthHosts     = &Setting{Name: "oauth-redirect-hosts", Envs: []string{"CODEXPRO_OAUTH_REDIRECT_HOSTS"}, Type: List, Placeholder: "HOST", Help: "Hosts an OAuth client may be sent back to over https, comma-separated (default chatgpt.com, chat.openai.com; loopback is always allowed).", Scope: Serve}
	kRequireToken   = &Setting{Name: "require-http-token", Envs: []string{"CODEXPRO_REQUIRE_HTTP_TOKEN"}, Type: Bool, Default: "false", Help: "Refuse to start HTTP without an explicit token."}
	kTunnelMode     = &Setting{Name: "tunnel-mode", Envs: []string{"CODEXPRO_TUNNEL_MODE"}, Type: Bool, Default: "false", Help: "Set by tunnelctl: the server is reachable from the internet, so an explicit token is required."}
	kPublicHosts    = &Setting{Name: "hostname", Envs: []string{"CODEXPRO_PUBLIC_HOSTNAME", "CODEXPRO_PUBLIC_HOSTNAMES"}, Type: List, Placeholder: "HOST", Help: "Public tunnel hostname accepted in the Host header (variables: a comma-separated list).", Profile: "hostname", Scope: Saved}
	kOrigins        = &Setting{Name: "allowed-origins", Envs: []string{"CODEXPRO_ALLOWED_ORIGINS"}, Type: List, Help: "Extra browser origins allowed to call /mcp, comma-separated."}
	kMode           = &Setting{Name: "mode", Envs: []string{"CODEXPRO_MODE"}, Type: Enum, Default: "agent", Allowed: modes, Placeholder: "MODE", Help: "What the model may do: agent edits, handoff and pro plan for a local agent.", Profile: "mode", Scope: Serve | Saved | Tunnel}
	kWrite          = &Setting{Name: "write", Envs: []string{"CODEXPRO_WRITE_MODE"}, Type: Enum, Default: "workspace in agent mode, else handoff", Allowed: writes, Placeholder: "MODE", Help: "Where tools may write; handoff and pro modes allow only off or handoff.", Profile: "write", Scope: Serve | Saved | Tunnel}
	kToolMode       = &Setting{Name: "tool-mode", Envs: []string{"CODEXPRO_TOOL_MODE"}, Type: Enum, Default: "standard", Allowed: tools, Placeholder: "MODE", Help: "How many tools are advertised.", Profile: "toolMode", Scope: Serve | Saved | Tunnel}
	kBash           = &Setting{Name: "bash", Envs: []string{"CODEXPRO_BASH_MODE"}, Type: Enum, Default: "safe", Allowed: bashes, Placeholder: "MODE", Help: "The bash tool: off, an allow-list of safe commands, or any command.", Profile: "bash", Scope: Serve | Saved | Tunnel}
	kNoBash         = &Setting{Name: "no-bash", Type: Switch, Default: "false", Help: "Same as --bash off.", Scope: Serve | Tunnel}
	kTranscript     = &Setting{Name: "bash-transcript", Envs: []string{"CODEXPRO_BASH_TRANSCRIPT"}, Type: Enum, Default: "compact", Allowed: []string{"compact", "full"}, Placeholder: "MODE", Help: "bash result text: compact (the output's tail on failure or when short) or full (all output up to the cap).", Profile: "bashTranscript", Scope: Serve | Saved | Tunnel}
	kBashSession    = &Setting{Name: "bash-session", Envs: []string{"CODEXPRO_BASH_SESSION_ID"}, Type: String, Placeholder: "ID", Help: "Session label that bash calls must carry.", Profile: "bashSession", Scope: Serve | Saved | Tunnel}
	kRequireSession = &Setting{Name: "require-bash-session", Envs: []string{"CODEXPRO_REQUIRE_BASH_SESSION"}, Type: Bool, Default: "false", Help: "Refuse bash calls without the session label.", Profile: "requireBashSession", Scope: Serve | Saved}
	kSandbox        = &Setting{Name: "sandbox", Envs: []string{"CODEXPRO_SANDBOX"}, Type: Enum, Default: "auto", Allowed: sandbox.Modes(), Placeholder: "MODE", Help: "Confinement of child processes (bash, handoff's executor): auto picks Landlock on Linux, Seatbelt on macOS, none on Windows.", Profile: "sandbox", Scope: Serve | Saved | Tunnel | Handoff}
	kSandboxNet     = &Setting{Name: "sandbox-net", Envs: []string{"CODEXPRO_SANDBOX_NET"}, Type: Bool, Default: "false", Help: "Let confined child processes use the network.", Profile: "sandboxNet", Scope: Serve | Saved | Handoff}
	kConnectionTest = &Setting{Name: "connection-test", Envs: []string{"CODEXPRO_CONNECTION_TEST"}, Type: Bool, Default: "false", Help: "Read-only connector check: writes and bash off, request logging on.", Scope: Serve}
	kToolCards      = &Setting{Name: "tool-cards", Envs: []string{"CODEXPRO_TOOL_CARDS"}, Type: Bool, Default: "false", Help: "Attach ChatGPT tool-card widgets to write and handoff results.", Profile: "toolCards", Scope: Serve | Saved}
	kWidgetDomain   = &Setting{Name: "widget-domain", Envs: []string{"CODEXPRO_WIDGET_DOMAIN"}, Type: String, Default: DefaultWidgetDomain, Placeholder: "ORIGIN", Help: "https origin ChatGPT serves the tool-card widget from (its sandbox domain).", Profile: "widgetDomain", Scope: Serve | Saved}
	kCodexSessions  = &Setting{Name: "codex-sessions", Envs: []string{"CODEXPRO_CODEX_SESSIONS"}, Type: Enum, Default: "off", Allowed: onOffRW, Placeholder: "MODE", Help: "Expose local Codex CLI sessions: off, metadata or read.", Profile: "codexSessions", Scope: Serve | Saved | Tunnel}
	kCodexDir       = &Setting{Name: "codex-dir", Envs: []string{"CODEXPRO_CODEX_DIR"}, Type: Path, Default: "~/.codex", Placeholder: "DIR", Help: "Codex CLI home; relative to the root.", Profile: "codexDir", Scope: Serve | Saved}
	kLogLevel       = &Setting{Name: "log-level", Envs: []string{"CODEXPRO_LOG_LEVEL"}, Type: Enum, Default: "info", Allowed: []string{"trace", "debug", "info", "warn", "error"}, Placeholder: "LEVEL", Help: "Log detail on stderr.", Scope: Serve | Tunnel}
	kLogRequests    = &Setting{Name: "log-requests", Envs: []string{"CODEXPRO_LOG_REQUESTS"}, Type: Bool, Default: "false", Help: "Log every HTTP request and tool call (paths only, never tokens)."}
	kInheritEnv     = &Setting{Name: "inherit-env", Envs: []string{"CODEXPRO_INHERIT_ENV"}, Type: Bool, Default: "false", Help: "Give child processes the whole environment instead of a scrubbed one.", Scope: Handoff}
	kAnalysis       = &Setting{Name: "analysis", Envs: []string{"CODEXPRO_ANALYSIS"}, Type: Bool, Default: "true", Help: "Workspace analysis (inspect_workspace, change risk)."}
	kMaxRead        = &Setting{Name: "max-read-bytes", Envs: []string{"CODEXPRO_MAX_READ_BYTES"}, Type: Int, Default: "180000", Min: 4_000, Max: 2_000_000, Help: "Largest file read (and plan handoff accepts).", Scope: Handoff}
	kMaxWrite       = &Setting{Name: "max-write-bytes", Envs: []string{"CODEXPRO_MAX_WRITE_BYTES"}, Type: Int, Default: "1000000", Min: 1_000, Max: 10_000_000, Help: "Largest file written."}
	kMaxOutput      = &Setting{Name: "max-output-bytes", Envs: []string{"CODEXPRO_MAX_OUTPUT_BYTES"}, Type: Int, Default: "120000", Min: 4_000, Max: 2_000_000, Help: "Output kept per stream of a child process.", Scope: Handoff}
	kMaxImport      = &Setting{Name: "max-import-bytes", Envs: []string{"CODEXPRO_MAX_IMPORT_BYTES"}, Type: Int, Default: "5000000", Min: 1_000, Max: 50_000_000, Help: "Largest import_file download."}
	kImportHosts    = &Setting{Name: "import-allowed-hosts", Envs: []string{"CODEXPRO_IMPORT_ALLOWED_HOSTS"}, Type: List, Help: "Extra hosts import_file may download from, comma-separated."}
	kImportLoopback = &Setting{Name: "import-allow-loopback", Envs: []string{"CODEXPRO_IMPORT_ALLOW_LOOPBACK"}, Type: Bool, Default: "false", Help: "Tests only: let import_file fetch from loopback."}
	kImportTestCA   = &Setting{Name: "import-test-ca-file", Envs: []string{"CODEXPRO_IMPORT_TEST_CA_FILE"}, Type: String, Help: "Tests only: trust this CA for import_file, loopback sources only."}
	kMaxBashTimeout = &Setting{Name: "max-bash-timeout-ms", Envs: []string{"CODEXPRO_MAX_BASH_TIMEOUT_MS"}, Type: Int, Default: "600000", Min: 1_000, Max: 900_000, Help: "Longest bash call."}
	kMaxSearch      = &Setting{Name: "max-search-results", Envs: []string{"CODEXPRO_MAX_SEARCH_RESULTS"}, Type: Int, Default: "200", Min: 5, Max: 2_000, Help: "Most search results per call."}
	kMaxSessions    = &Setting{Name: "max-http-sessions", Envs: []string{"CODEXPRO_MAX_HTTP_SESSIONS"}, Type: Int, Default: "64", Min: 1, Max: 512, Help: "Most live MCP HTTP sessions: at the cap a new session ends the one idle the longest, never one answering a request (503 while all are busy)."}
	kSessionTTL     = &Setting{Name: "http-session-ttl-ms", Envs: []string{"CODEXPRO_HTTP_SESSION_TTL_MS"}, Type: Int, Default: "1800000", Min: 60_000, Max: 86_400_000, Help: "Idle MCP HTTP sessions end after this long."}
	kBlockedGlobs   = &Setting{Name: "blocked-globs", Envs: []string{"CODEXPRO_BLOCKED_GLOBS"}, Type: List, Help: "Extra blocked path globs, comma-separated (added to the built-in list).", Scope: Handoff}
	kContextDir     = &Setting{Name: "context-dir", Envs: []string{"CODEXPRO_CONTEXT_DIR"}, Type: String, Default: DefaultContextDir, Help: "The handoff directory inside the workspace.", Scope: Handoff}
	kHome           = &Setting{Name: "home", Envs: []string{"CODEXPRO_HOME"}, Type: Path, Default: "~/.codexpro", Help: "Where profiles, tokens, tunnels and plugins are kept.", Scope: Handoff}
)

// Declared lists every setting in help order.
func Declared() []*Setting {
	return []*Setting{
		kRoot, kAllowRoot, kAllowHome, kTransport, kHost, kPort, kToken, kTokenFile, kNoAuth, kAuth, kOAuthHosts, kRequireToken,
		kTunnelMode, kPublicHosts, kOrigins, kMode, kWrite, kToolMode, kBash, kNoBash, kTranscript,
		kBashSession, kRequireSession, kSandbox, kSandboxNet, kConnectionTest, kToolCards, kWidgetDomain,
		kCodexSessions, kCodexDir, kLogLevel, kLogRequests, kInheritEnv, kAnalysis, kMaxRead, kMaxWrite,
		kMaxOutput, kMaxImport, kImportHosts, kImportLoopback, kImportTestCA, kMaxBashTimeout, kMaxSearch,
		kMaxSessions, kSessionTTL, kBlockedGlobs, kContextDir, kHome,
	}
}

// In returns the settings that carry every scope in want, in help order.
func In(want Scope) []*Setting {
	var out []*Setting
	for _, s := range Declared() {
		if s.Scope.Has(want) {
			out = append(out, s)
		}
	}
	return out
}

// Lookup returns the setting with this name.
func Lookup(name string) (*Setting, bool) {
	for _, s := range Declared() {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// FlagHelp is the flag's help: the sentence, the values, the variable and
// the default, so --help shows the whole setting.
func (s *Setting) FlagHelp() string {
	var extra []string
	if s.Type == Enum {
		extra = append(extra, strings.Join(s.Allowed, ", "))
	}
	if len(s.Envs) > 0 {
		extra = append(extra, s.Envs[0])
	}
	if s.Default != "" && s.Type != Switch {
		extra = append(extra, "default "+s.Default)
	}
	if len(extra) == 0 {
		return s.Help
	}
	return strings.TrimSuffix(s.Help, ".") + " (" + strings.Join(extra, "; ") + ")."
}

// Flags holds the settings given on a command line, by setting name. A name
// that is absent was not given; a repeatable flag holds one value per use,
// any other flag one value. "no-profile" asks Load to skip the profile.
type Flags map[string][]string

// value is the last value given for s, if any.
func (f Flags) value(s *Setting) (string, bool) {
	v, ok := f[s.Name]
	if !ok || len(v) == 0 {
		return "", ok
	}
	return v[len(v)-1], true
}

// NoProfile is the Flags key that ignores the saved profile for one run.
const NoProfile = "no-profile"

// Canonical is a valid value as a profile keeps it: trimmed, and lower case
// for enums and booleans.
func (s *Setting) Canonical(v string) string {
	v = strings.TrimSpace(v)
	switch s.Type {
	case Enum:
		return strings.ToLower(v)
	case Bool, Switch:
		b, _ := parseBool(v)
		if b {
			return "true"
		}
		return "false"
	}
	return v
}
