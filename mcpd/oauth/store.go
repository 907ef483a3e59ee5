package oauth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"sync"
	"time"

	"codexpro.dev/pkg/privfile"
)

// Client is a registered (public) client.
type Client struct {
	ID           string    `json:"client_id"`
	Name         string    `json:"client_name"`
	RedirectURIs []string  `json:"redirect_uris"`
	Created      time.Time `json:"created"`
	Expires      time.Time `json:"expires"`
}

// Grant is one approval: the client, what it may reach, and the digests of
// its current tokens.
type Grant struct {
	ID        string    `json:"id"`
	ClientID  string    `json:"client_id"`
	Client    string    `json:"client_name"`
	Resource  string    `json:"resource"`
	Scope     string    `json:"scope"`
	Access    string    `json:"access_sha256"`
	AccessExp time.Time `json:"access_expires"`
	Refresh   string    `json:"refresh_sha256"`
	// Spent are the digests of refresh tokens already rotated away: one
	// presented again means it was copied, and the grant is revoked.
	Spent      []string  `json:"spent_refresh_sha256,omitempty"`
	RefreshExp time.Time `json:"refresh_expires"`
	Created    time.Time `json:"created"`
	LastUsed   time.Time `json:"last_used"`
}

// state is the file's content.
type state struct {
	Clients []Client `json:"clients"`
	Grants  []Grant  `json:"grants"`
}

// Store keeps clients and grants in one private file; every change is
// written at once (atomically), so a revocation holds across restarts.
type Store struct {
	path string
	mu   sync.Mutex
	st   state
	now  func() time.Time
	seen fileStamp // the file as last read or written
}

// fileStamp identifies a version of the file: `mcpd auth revoke` in another
// process rewrites it, and the server must see that at its next request.
type fileStamp struct {
	mod  time.Time
	size int64
}

// OpenStore loads path, or starts empty when it does not exist.
func OpenStore(path string, now func() time.Time) (*Store, error) {
	s := &Store{path: path, now: now}
	if err := s.reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// reload reads the file again when it changed since it was last seen; the
// caller holds s.mu (or owns s). A file that cannot be read fails closed:
// the grants are dropped from memory until it can.
func (s *Store) reload() error {
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.st, s.seen = state{}, fileStamp{}
		return nil
	case err != nil:
		s.st = state{}
		return fmt.Errorf("oauth: read %s: %w", s.path, err)
	}
	stamp := fileStamp{fi.ModTime(), fi.Size()}
	if stamp == s.seen {
		return nil
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		s.st = state{}
		return fmt.Errorf("oauth: read %s: %w", s.path, err)
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		s.st = state{}
		return fmt.Errorf("oauth: %s is not valid JSON (%v); delete it to revoke every grant and start over", s.path, err)
	}
	s.st, s.seen = st, stamp
	return nil
}

// update runs f under the lock, drops what has expired, and saves.
func (s *Store) update(f func(st *state) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reload(); err != nil {
		return err
	}
	next := cloneState(s.st)
	if err := f(&next); err != nil {
		return err
	}
	s.expire(&next)
	data, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return err
	}
	if err := privfile.Write(s.path, append(data, '\n')); err != nil {
		return fmt.Errorf("oauth: save grants: %w", err)
	}
	s.st = next
	if fi, err := os.Stat(s.path); err == nil {
		s.seen = fileStamp{fi.ModTime(), fi.Size()}
	}
	return nil
}

func cloneState(st state) state {
	out := state{Clients: append([]Client(nil), st.Clients...), Grants: make([]Grant, len(st.Grants))}
	for i, g := range st.Grants {
		g.Spent = append([]string(nil), g.Spent...)
		out.Grants[i] = g
	}
	return out
}

// expire drops clients past their expiry that hold no grant, and grants
// whose refresh token has expired.
func (s *Store) expire(st *state) {
	now := s.now()
	grants := st.Grants[:0]
	held := map[string]bool{}
	for _, g := range st.Grants {
		if now.Before(g.RefreshExp) {
			grants = append(grants, g)
			held[g.ClientID] = true
		}
	}
	st.Grants = grants
	clients := st.Clients[:0]
	for _, c := range st.Clients {
		if held[c.ID] || now.Before(c.Expires) {
			clients = append(clients, c)
		}
	}
	st.Clients = clients
}

// client returns a registered client.
func (s *Store) client(id string) (Client, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reload() != nil {
		return Client{}, false
	}
	for _, c := range s.st.Clients {
		if c.ID == id && s.now().Before(c.Expires) {
			return c, true
		}
	}
	return Client{}, false
}

// Grants lists the grants, newest first, without token digests.
func (s *Store) Grants() []Grant {
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = s.reload() // on failure the list is empty, never stale
	out := make([]Grant, 0, len(s.st.Grants))
	for _, g := range s.st.Grants {
		g.Access, g.Refresh, g.Spent = "", "", nil
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out
}

// Revoke removes one grant by id, or every grant for "all"; it reports how
// many it removed.
func (s *Store) Revoke(id string) (int, error) {
	n := 0
	err := s.update(func(st *state) error {
		kept := st.Grants[:0]
		for _, g := range st.Grants {
			if id == "all" || g.ID == id {
				n++
				continue
			}
			kept = append(kept, g)
		}
		st.Grants = kept
		return nil
	})
	if err == nil && n == 0 && id != "all" {
		return 0, fmt.Errorf("no grant with id %q (mcpd auth list shows them)", id)
	}
	return n, err
}

// newSecret is 32 random bytes, URL-safe. crypto/rand.Read never fails
// (the runtime aborts instead of returning weak bytes).
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// digest is what is stored of a secret.
func digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// sameDigest compares in constant time.
func sameDigest(a, b string) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// touch finds the grant match accepts and records its use; the file is
// rewritten at most every few minutes per grant, not on every request.
func (s *Store) touch(match func(*Grant) bool, now time.Time) bool {
	s.mu.Lock()
	if s.reload() != nil {
		s.mu.Unlock()
		return false
	}
	for i := range s.st.Grants {
		g := &s.st.Grants[i]
		if !match(g) {
			continue
		}
		stale := now.Sub(g.LastUsed) > 5*time.Minute
		g.LastUsed = now
		s.mu.Unlock()
		if stale {
			_ = s.update(func(*state) error { return nil })
		}
		return true
	}
	s.mu.Unlock()
	return false
}
