// Package config turns mcpd flags, CODEXPRO_* variables and the saved
// workspace profile into Settings. Precedence is flag > environment >
// profile > default; an invalid value is an error naming the flag and the
// variable (or the profile file), never a silent fallback.
package config

import (
	"codexpro.dev/pkg/bridge"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
)

// Flags holds what the command line gave; "" and nil mean "not given".
type Flags struct {
	Root       string
	AllowRoots []string
	AllowHome  bool

	Transport string
	Host      string
	Port      string
	TokenFile string
	NoAuth    bool

	Mode     string
	Write    string
	ToolMode string
	Bash     string
	NoBash   bool

	BashTranscript     string
	BashSession        string
	RequireBashSession *bool
	Sandbox            string
	SandboxNet         *bool

	ConnectionTest *bool
	ToolCards      *bool
	CodexSessions  string
	CodexDir       string
	LogLevel       string
	WidgetDomain   string

	NoProfile bool // ignore the saved profile of the root
}

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
	l := &loader{env: env}
	var s Settings
	home := homeDir(env)
	s.Root = l.defaultRoot(flags, home)
	s.Home = l.path(kHome, "", home, ".codexpro", "")
	if !flags.NoProfile && s.Root != "" && s.Home != "" {
		s.ProfilePath = l.useProfile(NewProfileStore(s.Home), s.Root)
	}
	l.loadPaths(&s, flags, home)
	l.loadModes(&s, flags)
	l.loadLimits(&s)
	l.loadHTTP(&s, flags)
	if len(l.errs) > 0 {
		return Settings{}, errors.Join(l.errs...)
	}
	if err := l.loadToken(&s, flags); err != nil {
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

func (l *loader) loadPaths(s *Settings, f Flags, home string) {
	s.AllowedRoots, s.AllowHome = l.allowedRoots(f, home, s.Root)
	dir, _ := l.str(kContextDir, "", DefaultContextDir)
	ctx, err := bridge.ValidateContextDir(dir)
	if err != nil {
		l.fail(err)
	}
	s.ContextDir = ctx
	s.CodexDir = l.path(kCodexDir, f.CodexDir, home, ".codex", s.Root)
	for _, g := range l.list(kBlockedGlobs, regexp.MustCompile(`,`)) {
		s.BlockedGlobs = append(s.BlockedGlobs, g.value)
	}
}

func (l *loader) loadModes(s *Settings, f Flags) {
	s.Mode = l.enum(kMode, f.Mode, "agent", "agent", "handoff", "pro")
	requested := l.enum(kWrite, f.Write, "", "off", "handoff", "workspace")
	s.WriteMode = coerceWrite(s.Mode, requested)
	s.ToolMode = l.enum(kToolMode, f.ToolMode, "standard", "minimal", "standard", "full")
	s.BashMode = l.bashMode(f)
	s.BashTranscript = l.enum(kTranscript, f.BashTranscript, "compact", "compact", "full")
	s.BashSession, s.RequireBashSession = l.bashSession(f)
	s.Sandbox = l.enum(kSandbox, f.Sandbox, "auto", "auto", "landlock", "off")
	s.SandboxNet, _ = l.boolean(kSandboxNet, f.SandboxNet, false)
	s.CodexSessions = l.codexSessions(f)
	s.ToolCards, _ = l.boolean(kToolCards, f.ToolCards, false)
	s.ConnectionTest, _ = l.boolean(kConnectionTest, f.ConnectionTest, false)
	s.InheritEnv, _ = l.boolean(kInheritEnv, nil, false)
	s.Analysis, _ = l.boolean(kAnalysis, nil, true)
	s.LogLevel = l.enum(kLogLevel, f.LogLevel, "info", "trace", "debug", "info", "warn", "error")
	s.LogRequests, _ = l.boolean(kLogRequests, nil, false)
	if s.ConnectionTest {
		// A connection test proves the connector works; it must not be able
		// to change anything, whatever else was configured.
		s.WriteMode, s.BashMode, s.ToolCards, s.LogRequests = "off", "off", false, true
	}
}

// coerceWrite applies the launch rule (as CodexPro 0.30 does): agent mode
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

func (l *loader) bashMode(f Flags) string {
	mode := l.enum(kBash, f.Bash, "safe", "off", "safe", "full")
	if !f.NoBash {
		return mode
	}
	if f.Bash != "" && mode != "off" {
		l.fail(fmt.Errorf("--no-bash conflicts with --bash=%q: give one of them", f.Bash))
	}
	return "off"
}

var bashSessionID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func (l *loader) bashSession(f Flags) (string, bool) {
	id, r := l.str(kBashSession, f.BashSession, "")
	if id != "" && !bashSessionID.MatchString(id) {
		l.fail(kBashSession.invalid(r, "want 1-64 letters, digits, dots, underscores or dashes, starting with a letter or digit"))
		id = ""
	}
	required, rr := l.boolean(kRequireSession, f.RequireBashSession, false)
	if required && id == "" && !r.set {
		l.fail(fmt.Errorf("%s requires a bash session id: set --bash-session or CODEXPRO_BASH_SESSION_ID", rr.from))
	}
	return id, required
}

func (l *loader) codexSessions(f Flags) string {
	v, r := l.str(kCodexSessions, f.CodexSessions, "off")
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
	s.MaxReadBytes = l.integer(kMaxRead, "", 180_000, 4_000, 2_000_000)
	s.MaxWriteBytes = l.integer(kMaxWrite, "", 1_000_000, 1_000, 10_000_000)
	s.MaxOutputBytes = l.integer(kMaxOutput, "", 120_000, 4_000, 2_000_000)
	s.MaxImportBytes = l.integer(kMaxImport, "", 5_000_000, 1_000, 50_000_000)
	for _, r := range l.list(kImportHosts, importHostSep) {
		s.ImportAllowedHosts = appendNew(s.ImportAllowedHosts, strings.ToLower(r.value))
	}
	s.ImportAllowLoopback, _ = l.boolean(kImportLoopback, nil, false)
	s.ImportTestCAFile, _ = l.str(kImportTestCA, "", "")
	s.MaxBashTimeoutMs = int(l.integer(kMaxBashTimeout, "", 600_000, 1_000, 900_000))
	s.MaxSearchResults = int(l.integer(kMaxSearch, "", 200, 5, 2_000))
	s.MaxHTTPSessions = int(l.integer(kMaxSessions, "", 64, 1, 512))
	ttl := l.integer(kSessionTTL, "", 1_800_000, 60_000, 86_400_000)
	s.HTTPSessionTTL = time.Duration(ttl) * time.Millisecond
}
