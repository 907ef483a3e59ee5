package httpd

import (
	"context"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Sessions is the set of live sessions mcp-go has registered (legacy
// clients that initialized over HTTP), kept by its register and unregister
// hooks, so ToolCalls serves only sessions mcp-go itself would serve.
type Sessions struct {
	mu       sync.Mutex
	live     map[string]*liveSession
	versions map[string]string // negotiated at initialize, until the session registers
	// The GET streams of each session, kept apart from live: an evicted
	// session leaves live before mcp-go unregisters it.
	streams map[string]map[*int]context.CancelFunc
	// The session cap's bookkeeping (Limit): initializations being served,
	// and evicted sessions whose end is in progress.
	pending int
	ending  map[string]bool
}

type liveSession struct {
	session  server.ClientSession
	seen     time.Time // when mcp-go last served a request of this session
	version  string    // the protocol revision initialize negotiated
	used     time.Time // when a request of this session last ended (Limit)
	inflight int       // requests of this session being answered (Limit)
}

func NewSessions() *Sessions {
	return &Sessions{live: map[string]*liveSession{}, versions: map[string]string{}, ending: map[string]bool{},
		streams: map[string]map[*int]context.CancelFunc{}}
}

// Hook adds the hooks that keep the set; pass it to the MCP server.
func (s *Sessions) Hook(h *server.Hooks) {
	h.AddAfterInitialize(func(ctx context.Context, _ any, _ *mcp.InitializeRequest, res *mcp.InitializeResult) {
		if cs := server.ClientSessionFromContext(ctx); cs != nil && cs.SessionID() != "" && res != nil {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.versions[cs.SessionID()] = res.ProtocolVersion
		}
	})
	h.AddOnRegisterSession(func(_ context.Context, cs server.ClientSession) {
		s.mu.Lock()
		defer s.mu.Unlock()
		id := cs.SessionID()
		now := time.Now()
		s.live[id] = &liveSession{session: cs, seen: now, used: now, version: s.versions[id]}
		delete(s.versions, id)
	})
	// However the session ends (DELETE, the idle TTL, eviction), its GET
	// streams end with it.
	h.AddOnUnregisterSession(func(_ context.Context, cs server.ClientSession) {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, end := range s.streams[cs.SessionID()] {
			end()
		}
		delete(s.streams, cs.SessionID())
		delete(s.live, cs.SessionID())
		delete(s.versions, cs.SessionID())
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

// get returns the live session with id and the protocol revision it
// negotiated.
func (s *Sessions) get(id string) (server.ClientSession, string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ls, ok := s.live[id]
	if !ok {
		return nil, "", false
	}
	return ls.session, ls.version, true
}

// stream ties a GET stream of session id to the session: the context it
// returns ends when ctx does or the session ends. Call release when the
// stream is over. ok is false when there is no such live session.
func (s *Sessions) stream(ctx context.Context, id string) (_ context.Context, release func(), ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live[id]; !ok {
		return nil, nil, false
	}
	ctx, cancel := context.WithCancel(ctx)
	key := new(int)
	if s.streams[id] == nil {
		s.streams[id] = map[*int]context.CancelFunc{}
	}
	s.streams[id][key] = cancel
	return ctx, func() {
		cancel()
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.streams[id], key)
		if len(s.streams[id]) == 0 {
			delete(s.streams, id)
		}
	}, true
}
