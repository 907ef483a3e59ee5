package httpd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// Limit caps the live MCP sessions at max (CODEXPRO_MAX_HTTP_SESSIONS).
// When an initialize would open one session too many, the session idle
// the longest is ended first, the way a client's DELETE ends it; a session
// with a request being answered is never chosen, and a request that
// arrives for the chosen session meanwhile gets 404, as for any ended
// session, so its client initializes again. When every session is busy,
// the initialize is refused with 503 and a JSON-RPC error naming the
// setting. An open GET notification stream alone does not make a session
// busy: it is idle until it sends a request.
func (s *Sessions) Limit(max int, next http.Handler) http.Handler {
	return &sessionLimit{s: s, max: max, next: next}
}

type sessionLimit struct {
	s    *Sessions
	max  int
	next http.Handler
}

func (l *sessionLimit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id := r.Header.Get(server.HeaderKeySessionID); id != "" {
		if !l.s.enter(id, r.Method != http.MethodGet) {
			http.Error(w, "Session terminated (evicted: CODEXPRO_MAX_HTTP_SESSIONS reached); initialize a new session", http.StatusNotFound)
			return
		}
		defer l.s.leave(id, r.Method != http.MethodGet)
		l.next.ServeHTTP(w, r)
		return
	}
	reqID, isInit := initializeID(r)
	if !isInit || l.max <= 0 {
		l.next.ServeHTTP(w, r)
		return
	}
	victim, ok := l.s.admit(l.max)
	if !ok {
		refuseSession(w, reqID, l.max)
		return
	}
	defer l.s.admitted()
	if victim != "" {
		l.end(r.Context(), victim)
	}
	l.next.ServeHTTP(w, r)
}

// end terminates session id through the wrapped handler, as a DELETE from
// its client would, so every part of the transport forgets it.
func (l *sessionLimit) end(ctx context.Context, id string) {
	defer l.s.ended(id)
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodDelete, "/mcp", nil)
	if err != nil {
		return
	}
	req.Header.Set(server.HeaderKeySessionID, id)
	l.next.ServeHTTP(discard{h: http.Header{}}, req)
}

// initializeID reports whether r is a JSON-RPC initialize request and
// returns its id; the body is put back for the next handler. The guard has
// already bounded the body's size.
func initializeID(r *http.Request) (json.RawMessage, bool) {
	if r.Method != http.MethodPost || r.Body == nil {
		return nil, false
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if json.Unmarshal(body, &msg) != nil || msg.Method != "initialize" {
		return nil, false
	}
	return msg.ID, true
}

func refuseSession(w http.ResponseWriter, id json.RawMessage, max int) {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	msg := fmt.Sprintf("Too many MCP sessions: all %d allowed by CODEXPRO_MAX_HTTP_SESSIONS (--max-http-sessions) have a request in progress. "+
		"Retry in a few seconds, close MCP clients you no longer use, or raise CODEXPRO_MAX_HTTP_SESSIONS (at most 512).", max)
	body, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id, Error: struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{-32000, msg}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Retry-After", "5")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write(body)
}

// enter counts a request of session id as in flight (busy: not a GET
// stream). It is false for a session being ended by the cap.
func (s *Sessions) enter(id string, busy bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ending[id] {
		return false
	}
	if ls, ok := s.live[id]; ok && busy {
		ls.inflight++
	}
	return true
}

func (s *Sessions) leave(id string, busy bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ls, ok := s.live[id]; ok && busy {
		ls.inflight--
		ls.used = time.Now()
	}
}

// admit reserves a session slot for an initialize. With every slot taken
// it picks the session idle the longest and not in use as the victim
// (removed from the set at once, so no request can start in it); with
// none idle it refuses.
func (s *Sessions) admit(max int) (victim string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.live)+len(s.ending)+s.pending < max {
		s.pending++
		return "", true
	}
	var oldest *liveSession
	for id, ls := range s.live {
		if ls.inflight == 0 && (oldest == nil || ls.used.Before(oldest.used)) {
			oldest, victim = ls, id
		}
	}
	if oldest == nil {
		return "", false
	}
	delete(s.live, victim)
	s.ending[victim] = true
	s.pending++
	return victim, true
}

// admitted releases the reservation once the initialize was answered: the
// session it opened is in the set by then.
func (s *Sessions) admitted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending--
}

func (s *Sessions) ended(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ending, id)
}

// discard is the response writer of an internal request.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}
