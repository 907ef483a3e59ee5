package httpd

import (
	"context"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// Sessions is the set of live sessions mcp-go has registered (legacy
// clients that initialized over HTTP), kept by its register and unregister
// hooks, so ToolCalls serves only sessions mcp-go itself would serve.
type Sessions struct {
	mu   sync.Mutex
	live map[string]*liveSession
}

type liveSession struct {
	session server.ClientSession
	seen    time.Time // when mcp-go last served a request of this session
}

func NewSessions() *Sessions { return &Sessions{live: map[string]*liveSession{}} }

// Hook adds the hooks that keep the set; pass it to the MCP server.
func (s *Sessions) Hook(h *server.Hooks) {
	h.AddOnRegisterSession(func(_ context.Context, cs server.ClientSession) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.live[cs.SessionID()] = &liveSession{session: cs, seen: time.Now()}
	})
	h.AddOnUnregisterSession(func(_ context.Context, cs server.ClientSession) {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.live, cs.SessionID())
	})
}

// fresh returns the session with id if mcp-go saw a request of it less
// than within ago: mcp-go's idle sweeper only counts the requests it
// serves itself.
func (s *Sessions) fresh(id string, within time.Duration) (server.ClientSession, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ls, ok := s.live[id]
	if !ok || time.Since(ls.seen) >= within {
		return nil, false
	}
	return ls.session, true
}

// seen records that mcp-go is serving a request of session id.
func (s *Sessions) seen(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ls, ok := s.live[id]; ok {
		ls.seen = time.Now()
	}
}
