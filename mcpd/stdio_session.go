package mcpd

import (
	"sync"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// stdioSession is the one client of a stdio server. It keeps what mcp-go
// records at initialize (client info, capabilities, protocol version) and
// the log level; mcpd never sends the client requests of its own, so there
// is no sampling, elicitation or roots plumbing.
type stdioSession struct {
	notifications chan mcp.JSONRPCNotification
	initialized   atomic.Bool
	clientInfo    guarded[mcp.Implementation]
	capabilities  guarded[mcp.ClientCapabilities]
	version       guarded[string]
	logLevel      guarded[mcp.LoggingLevel]
}

var (
	_ server.SessionWithClientInfo            = (*stdioSession)(nil)
	_ server.SessionWithLogging               = (*stdioSession)(nil)
	_ server.SessionWithProtocolVersion       = (*stdioSession)(nil)
	_ interface{ SetProtocolVersion(string) } = (*stdioSession)(nil)
)

func newStdioSession() *stdioSession {
	s := &stdioSession{notifications: make(chan mcp.JSONRPCNotification, 16)}
	s.logLevel.set(mcp.LoggingLevelError)
	return s
}

func (s *stdioSession) SessionID() string { return "stdio" }
func (s *stdioSession) Initialize()       { s.initialized.Store(true) }
func (s *stdioSession) Initialized() bool { return s.initialized.Load() }

func (s *stdioSession) NotificationChannel() chan<- mcp.JSONRPCNotification {
	return s.notifications
}

func (s *stdioSession) GetClientInfo() mcp.Implementation             { return s.clientInfo.get() }
func (s *stdioSession) SetClientInfo(i mcp.Implementation)            { s.clientInfo.set(i) }
func (s *stdioSession) GetClientCapabilities() mcp.ClientCapabilities { return s.capabilities.get() }
func (s *stdioSession) SetClientCapabilities(c mcp.ClientCapabilities) {
	s.capabilities.set(c)
}
func (s *stdioSession) ProtocolVersion() string        { return s.version.get() }
func (s *stdioSession) SetProtocolVersion(v string)    { s.version.set(v) }
func (s *stdioSession) GetLogLevel() mcp.LoggingLevel  { return s.logLevel.get() }
func (s *stdioSession) SetLogLevel(l mcp.LoggingLevel) { s.logLevel.set(l) }

// guarded is a value read and written under its own lock: mcp-go sets
// these from the initialize request while other requests may read them.
type guarded[T any] struct {
	mu sync.Mutex
	v  T
}

func (g *guarded[T]) get() T {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.v
}

func (g *guarded[T]) set(v T) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.v = v
}
