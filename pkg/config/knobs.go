package config

// The settings' user-facing names: flags of mcpd and CODEXPRO_* variables,
// with CodexPro 0.30's legacy aliases after the preferred name.
var (
	kRoot           = knob{"root", []string{"CODEXPRO_ROOT", "CODEBASE_BRIDGE_REPO_ROOT"}}
	kAllowRoot      = knob{"allow-root", []string{"CODEXPRO_ALLOWED_ROOTS", "CODEBASE_BRIDGE_ALLOWED_ROOTS"}}
	kAllowHome      = knob{"allow-home", []string{"CODEXPRO_ALLOW_HOME"}}
	kTransport      = knob{"transport", []string{"CODEXPRO_TRANSPORT"}}
	kHost           = knob{"host", []string{"CODEXPRO_HOST", "HOST"}}
	kPort           = knob{"port", []string{"CODEXPRO_PORT", "PORT"}}
	kToken          = knob{"", []string{"CODEXPRO_HTTP_TOKEN", "CODEBASE_BRIDGE_HTTP_TOKEN"}}
	kTokenFile      = knob{"token-file", []string{"CODEXPRO_TOKEN_FILE"}}
	kNoAuth         = knob{"no-auth", []string{"CODEXPRO_ALLOW_NO_HTTP_TOKEN"}}
	kRequireToken   = knob{"", []string{"CODEXPRO_REQUIRE_HTTP_TOKEN"}}
	kTunnelMode     = knob{"", []string{"CODEXPRO_TUNNEL_MODE"}}
	kPublicHosts    = knob{"", []string{"CODEXPRO_PUBLIC_HOSTNAME", "CODEXPRO_PUBLIC_HOSTNAMES"}}
	kOrigins        = knob{"", []string{"CODEXPRO_ALLOWED_ORIGINS"}}
	kMode           = knob{"mode", []string{"CODEXPRO_MODE"}}
	kWrite          = knob{"write", []string{"CODEXPRO_WRITE_MODE"}}
	kToolMode       = knob{"tool-mode", []string{"CODEXPRO_TOOL_MODE"}}
	kBash           = knob{"bash", []string{"CODEXPRO_BASH_MODE"}}
	kTranscript     = knob{"bash-transcript", []string{"CODEXPRO_BASH_TRANSCRIPT"}}
	kBashSession    = knob{"bash-session", []string{"CODEXPRO_BASH_SESSION_ID"}}
	kRequireSession = knob{"require-bash-session", []string{"CODEXPRO_REQUIRE_BASH_SESSION"}}
	kSandbox        = knob{"sandbox", []string{"CODEXPRO_SANDBOX"}}
	kSandboxNet     = knob{"sandbox-net", []string{"CODEXPRO_SANDBOX_NET"}}
	kCodexSessions  = knob{"codex-sessions", []string{"CODEXPRO_CODEX_SESSIONS"}}
	kCodexDir       = knob{"codex-dir", []string{"CODEXPRO_CODEX_DIR"}}
	kToolCards      = knob{"tool-cards", []string{"CODEXPRO_TOOL_CARDS"}}
	kConnectionTest = knob{"connection-test", []string{"CODEXPRO_CONNECTION_TEST"}}
	kInheritEnv     = knob{"", []string{"CODEXPRO_INHERIT_ENV"}}
	kAnalysis       = knob{"", []string{"CODEXPRO_ANALYSIS"}}
	kMaxRead        = knob{"", []string{"CODEXPRO_MAX_READ_BYTES"}}
	kMaxWrite       = knob{"", []string{"CODEXPRO_MAX_WRITE_BYTES"}}
	kMaxOutput      = knob{"", []string{"CODEXPRO_MAX_OUTPUT_BYTES"}}
	kMaxImport      = knob{"", []string{"CODEXPRO_MAX_IMPORT_BYTES"}}
	kImportHosts    = knob{"", []string{"CODEXPRO_IMPORT_ALLOWED_HOSTS"}}
	kImportLoopback = knob{"", []string{"CODEXPRO_IMPORT_ALLOW_LOOPBACK"}}
	kImportTestCA   = knob{"", []string{"CODEXPRO_IMPORT_TEST_CA_FILE"}}
	kMaxBashTimeout = knob{"", []string{"CODEXPRO_MAX_BASH_TIMEOUT_MS"}}
	kMaxSearch      = knob{"", []string{"CODEXPRO_MAX_SEARCH_RESULTS"}}
	kMaxSessions    = knob{"", []string{"CODEXPRO_MAX_HTTP_SESSIONS"}}
	kSessionTTL     = knob{"", []string{"CODEXPRO_HTTP_SESSION_TTL_MS"}}
	kBlockedGlobs   = knob{"", []string{"CODEXPRO_BLOCKED_GLOBS"}}
	kContextDir     = knob{"", []string{"CODEXPRO_CONTEXT_DIR"}}
	kHome           = knob{"", []string{"CODEXPRO_HOME"}}
	kLogLevel       = knob{"log-level", []string{"CODEXPRO_LOG_LEVEL"}}
	kLogRequests    = knob{"", []string{"CODEXPRO_LOG_REQUESTS"}}
	kWidgetDomain   = knob{"widget-domain", []string{"CODEXPRO_WIDGET_DOMAIN"}}
)

// Defaults and ranges (CodexPro 0.30's).
const (
	DefaultHost         = "127.0.0.1"
	DefaultPort         = 8787
	DefaultWidgetDomain = "https://rebel0789.github.io"
	DefaultContextDir   = ".ai-bridge"
	MinTokenBytes       = 24
)
