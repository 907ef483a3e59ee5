// Package config turns mcpd flags, CODEXPRO_* variables and the saved
// workspace profile into Settings. Precedence is flag > environment >
// profile > default; an invalid value is an error naming the flag and the
// variable (or the profile file), never a silent fallback.
package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"codexpro.dev/pkg/bridge"
)

// Settings is the validated configuration of one mcpd process.
type Settings struct {
	Root         string
	AllowedRoots []string
	AllowHome    bool

	Transport string
	Host      string
	Port      int

	Token       string
	TokenSource string // env, file, generated, none
	NoAuth      bool
	// Auth is "token" (the bearer token) or "oauth" (mcpd's own OAuth 2.1
	// server; the token then works only in the Authorization header).
	Auth               string
	OAuthRedirectHosts []string

	PublicHostnames []string
	AllowedOrigins  []string

	Mode      string
	WriteMode string
	ToolMode  string
	BashMode  string

	BashTranscript     string
	BashSession        string
	RequireBashSession bool
	Sandbox            string
	SandboxNet         bool

	CodexSessions string
	CodexDir      string

	ToolCards, ConnectionTest, InheritEnv, Analysis bool

	MaxReadBytes, MaxWriteBytes, MaxOutputBytes, MaxImportBytes int64

	// import_file: extra download hosts, and two switches for tests only
	// (loopback sources, a test CA); see mcpd/tools/import*.go.
	ImportAllowedHosts  []string
	ImportAllowLoopback bool
	ImportTestCAFile    string

	MaxBashTimeoutMs int
	MaxSearchResults int
	MaxHTTPSessions  int
	HTTPSessionTTL   time.Duration

	BlockedGlobs []string
	ContextDir   string
	Home         string
	ProfilePath  string // the profile applied, "" when none

	LogLevel    string
	LogRequests bool

	WidgetDomain string
}

// Load validates flags and env (os.LookupEnv in production) into Settings.
// All invalid values are reported together.
func Load(flags Flags, env func(string) (string, bool)) (Settings, error) {
	l := &loader{env: env, flags: flags}
	var s Settings
	home := homeDir(env)
	s.Root = l.defaultRoot(home)
	s.Home = l.path(kHome, home, ".codexpro", "")
	if _, skip := flags[NoProfile]; !skip && s.Root != "" && s.Home != "" {
		s.ProfilePath = l.useProfile(NewProfileStore(s.Home), s.Root)
	}
	l.loadPaths(&s, home)
	l.loadModes(&s)
	l.loadLimits(&s)
	l.loadHTTP(&s)
	if len(l.errs) > 0 {
		return Settings{}, errors.Join(l.errs...)
	}
	if err := l.loadToken(&s); err != nil {
		return Settings{}, err
	}
	return s, nil
}

func homeDir(env func(string) (string, bool)) string {
	if h, ok := env("HOME"); ok && h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// globSep splits CODEXPRO_BLOCKED_GLOBS: a glob may contain spaces.
var globSep = regexp.MustCompile(`,`)

func (l *loader) loadPaths(s *Settings, home string) {
	s.AllowedRoots, s.AllowHome = l.allowedRoots(home, s.Root)
	s.ContextDir = l.contextDir()
	s.CodexDir = l.path(kCodexDir, home, ".codex", s.Root)
	for _, g := range l.list(kBlockedGlobs, globSep) {
		s.BlockedGlobs = append(s.BlockedGlobs, g.value)
	}
}

// contextDir is the handoff directory, checked by pkg/bridge's rule.
func (l *loader) contextDir() string {
	dir, r := l.str(kContextDir)
	if !r.set {
		dir = kContextDir.Default
	}
	ctx, err := bridge.ValidateContextDir(dir)
	if err != nil {
		l.fail(err)
	}
	return ctx
}

func (l *loader) loadModes(s *Settings) {
	s.Mode = l.enum(kMode)
	s.WriteMode = coerceWrite(s.Mode, l.writeMode())
	s.ToolMode = l.enum(kToolMode)
	s.BashMode = l.bashMode()
	s.BashTranscript = l.enum(kTranscript)
	s.BashSession, s.RequireBashSession = l.bashSession()
	s.Sandbox = l.enum(kSandbox)
	s.SandboxNet, _ = l.boolean(kSandboxNet)
	s.CodexSessions = l.codexSessions()
	s.ToolCards, _ = l.boolean(kToolCards)
	s.ConnectionTest, _ = l.boolean(kConnectionTest)
	s.InheritEnv, _ = l.boolean(kInheritEnv)
	s.Analysis, _ = l.boolean(kAnalysis)
	s.LogLevel = l.enum(kLogLevel)
	s.LogRequests, _ = l.boolean(kLogRequests)
	if s.ConnectionTest {
		// A connection test proves the connector works; it must not be able
		// to change anything, whatever else was configured.
		s.WriteMode, s.BashMode, s.ToolCards, s.LogRequests = "off", "off", false, true
	}
}

// writeMode is the requested write mode, "" when none was given: its
// default depends on the mode (coerceWrite).
func (l *loader) writeMode() string {
	if _, r := l.str(kWrite); !r.set {
		return ""
	}
	return l.enum(kWrite)
}

// coerceWrite applies the launcher's rule, as CodexPro 0.30 does: agent mode
// writes to the workspace unless told otherwise; handoff and pro modes only
// ever write the handoff directory, or nothing.
func coerceWrite(mode, requested string) string {
	if mode == "agent" {
		if requested == "" {
			return "workspace"
		}
		return requested
	}
	if requested == "off" {
		return "off"
	}
	return "handoff"
}

func (l *loader) bashMode() string {
	mode := l.enum(kBash)
	if off, _ := l.boolean(kNoBash); !off {
		return mode
	}
	if given, ok := l.flags.value(kBash); ok && mode != "off" {
		l.fail(fmt.Errorf("--no-bash conflicts with --bash=%q: give one of them", given))
	}
	return "off"
}

var bashSessionID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func (l *loader) bashSession() (string, bool) {
	id, r := l.str(kBashSession)
	if id != "" && !bashSessionID.MatchString(id) {
		l.fail(kBashSession.invalid(r, "want 1-64 letters, digits, dots, underscores or dashes, starting with a letter or digit"))
		id = ""
	}
	required, rr := l.boolean(kRequireSession)
	if required && id == "" && !r.set {
		l.fail(fmt.Errorf("%s requires a bash session id: set --bash-session or CODEXPRO_BASH_SESSION_ID", rr.from))
	}
	return id, required
}

// codexSessions also accepts the boolean spellings CodexPro 0.30 accepted.
func (l *loader) codexSessions() string {
	v, r := l.str(kCodexSessions)
	if !r.set {
		return kCodexSessions.Default
	}
	switch strings.ToLower(v) {
	case "off", "0", "false", "no":
		return "off"
	case "metadata", "1", "true", "yes", "on":
		return "metadata"
	case "read":
		return "read"
	}
	l.fail(kCodexSessions.invalid(r, "want one of off, metadata, read"))
	return "off"
}

var importHostSep = regexp.MustCompile(`[,\s]+`)

func (l *loader) loadLimits(s *Settings) {
	s.MaxReadBytes = l.integer(kMaxRead)
	s.MaxWriteBytes = l.integer(kMaxWrite)
	s.MaxOutputBytes = l.integer(kMaxOutput)
	s.MaxImportBytes = l.integer(kMaxImport)
	for _, r := range l.list(kImportHosts, importHostSep) {
		s.ImportAllowedHosts = appendNew(s.ImportAllowedHosts, strings.ToLower(r.value))
	}
	s.ImportAllowLoopback, _ = l.boolean(kImportLoopback)
	s.ImportTestCAFile, _ = l.str(kImportTestCA)
	s.MaxBashTimeoutMs = int(l.integer(kMaxBashTimeout))
	s.MaxSearchResults = int(l.integer(kMaxSearch))
	s.MaxHTTPSessions = int(l.integer(kMaxSessions))
	ttl := l.integer(kSessionTTL)
	s.HTTPSessionTTL = time.Duration(ttl) * time.Millisecond
}
