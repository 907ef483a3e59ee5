package toolkit

import (
	"context"
	"encoding/json"
	"reflect"
	"sync"

	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/importnet"
	"codexpro.dev/pkg/workspace"
)

// Config is the part of mcpd's settings that tools read.
type Config struct {
	Mode           string // agent|handoff|pro
	ToolMode       string // minimal|standard|full
	WriteMode      string // off|handoff|workspace
	BashMode       string // off|safe|full
	CodexSessions  string // off|metadata|read
	ConnectionTest bool
	ToolCards      bool
	WidgetDomain   string // https origin the tool-card widget is served from
	Analysis       bool

	MaxReadBytes     int64
	MaxWriteBytes    int64
	MaxOutputBytes   int64
	MaxSearchResults int
	ContextDir       string
	Bash             BashConfig

	MaxImportBytes int64
	Import         importnet.Config
	CodexDir       string // Codex home (~/.codex): sessions, user skills, plugin skills, MCP config
	UserHome       string // the user's home: ~/.agents/skills, ~/.cursor/mcp.json; "" skips them

	// Public is what server_config shows: the settings without secrets.
	Public map[string]any
}

// BashConfig holds the bash tool's settings (Config.Bash).
type BashConfig struct {
	Transcript     string // compact|full (CODEXPRO_BASH_TRANSCRIPT)
	Session        string // --bash-session label; "" = none
	RequireSession bool   // --require-bash-session
	Sandbox        string // auto|landlock|off (--sandbox)
	SandboxNet     bool   // --sandbox-net
	InheritEnv     bool   // CODEXPRO_INHERIT_ENV
	MaxTimeoutMs   int    // CODEXPRO_MAX_BASH_TIMEOUT_MS
	BlockedGlobs   []string
}

// Redactor removes secrets from everything a tool returns, and finds live
// secrets in content a tool is asked to write.
type Redactor interface {
	Text(string) string
	Value(any) any
	Marshal(any) (json.RawMessage, error) // the JSON encoding of Value(v)
	HasSecret(string) (kind string, ok bool)
	// Changes compares the live secrets of two versions of a file: the
	// kind of one that after holds and before did not, and whether one
	// that before held is gone.
	Changes(before, after string) (added string, lost bool)
}

// Env is what every tool handler can reach. One Env serves all sessions.
type Env struct {
	Cfg    Config
	Roots  *workspace.Roots
	Redact Redactor
	Log    zerolog.Logger
	// LogCalls logs every successful tool call, not only failures.
	LogCalls bool
	// Marks keeps show_changes' review checkpoints; nil: in memory.
	Marks ReviewMarks

	sel   selection
	state sync.Map // reflect.Type -> *T, see State
}

// ReviewMarks remembers, per session, workspace, path and staged flag, the
// fingerprint of the changes last shown, so show_changes can say "nothing
// new". The server keeps them in memory; `mcpd review --since-last` keeps
// them in a private file between runs.
type ReviewMarks interface {
	Seen(key, fingerprint string) bool
	Mark(key, fingerprint string)
}

// State returns e's value of type T, created zero on first use: handlers
// and engines keep their per-server state here (an analysis cache, the
// session index, in-memory review marks). The framework names no handler's
// type, so it never imports one, and an Env literal stays ready to use.
// Each T must be usable from its zero value and safe for concurrent use
// (test hooks excepted: a test sets them before any call).
func State[T any](e *Env) *T {
	key := reflect.TypeFor[T]()
	if v, ok := e.state.Load(key); ok {
		return v.(*T)
	}
	v, _ := e.state.LoadOrStore(key, new(T))
	return v.(*T)
}

// selection remembers each MCP session's selected workspace. Clients on the
// stateless protocol have no session and get the default unless they pass
// workspace_id.
type selection struct {
	mu sync.Mutex
	m  map[string]string
}

// MaxSelections bounds every per-session record (selections, review marks,
// opened workspaces): a store that reaches it starts over, so memory stays
// bounded whatever clients do.
const MaxSelections = 4096

func (s *selection) get(session string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[session]
}

func (s *selection) set(session, id string) {
	if session == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	if len(s.m) >= MaxSelections {
		clear(s.m) // sessions re-select on their next open; bounded memory wins
	}
	s.m[session] = id
}

// Forget drops a closed session's selection.
func (e *Env) Forget(session string) {
	e.sel.mu.Lock()
	defer e.sel.mu.Unlock()
	delete(e.sel.m, session)
}

// SessionID is the MCP session of a call, or "" on the stateless protocol.
func SessionID(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil {
		return s.SessionID()
	}
	return ""
}

// Workspace returns the workspace a call names by id, else the session's
// selection, else the default root.
func (e *Env) Workspace(ctx context.Context, id string) (*workspace.Workspace, error) {
	if id == "" {
		id = e.sel.get(SessionID(ctx))
	}
	if id != "" {
		if w, ok := e.Roots.ByID(id); ok {
			return w, nil
		}
		return nil, UserErrorf("Unknown workspace_id: %s. Call open_workspace first.", id)
	}
	return e.Roots.Default()
}

// Select makes w the session's workspace.
func (e *Env) Select(ctx context.Context, w *workspace.Workspace) { e.sel.set(SessionID(ctx), w.ID) }

// Selected returns the session's selected workspace id, or "".
func (e *Env) Selected(ctx context.Context) string { return e.sel.get(SessionID(ctx)) }
