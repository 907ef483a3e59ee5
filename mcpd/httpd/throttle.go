package httpd

import (
	"sync"
	"time"
)

// Limits of the failed-authentication throttle. Behind a tunnel every client
// arrives from the tunnel's loopback address, so the per-key limit then acts
// for everyone; the global ceiling bounds guessing spread over many
// addresses on a non-loopback bind.
const (
	failLimitPerKey = 10
	failLimitGlobal = 100
	failWindow      = 60 * time.Second
	maxFailKeys     = 4096
)

// window counts failures in a fixed period that starts at the first one.
type window struct {
	start time.Time
	n     int
}

func (w *window) add(now time.Time) {
	if now.Sub(w.start) >= failWindow {
		w.start, w.n = now, 0
	}
	w.n++
}

func (w *window) expired(now time.Time) bool { return now.Sub(w.start) >= failWindow }

// wait is how long until the window resets, or 0 while under limit.
func (w *window) wait(limit int, now time.Time) time.Duration {
	if w.n <= limit {
		return 0
	}
	return w.start.Add(failWindow).Sub(now)
}

// throttle remembers failed authentication attempts. It never blocks a
// correct token: the guard consults it only after a failure, so a user who
// has the token is never locked out by someone else's guessing.
type throttle struct {
	mu     sync.Mutex
	keys   map[string]*window
	global window
	// nextPrune is when the oldest live entry expires; while the map is
	// full, scanning it before then would find nothing to drop.
	nextPrune time.Time
}

func newThrottle() *throttle { return &throttle{keys: make(map[string]*window)} }

// fail records one failed attempt from key and returns how long the client
// must wait before trying again, or 0 if it may simply be told 401.
func (t *throttle) fail(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.global.add(now)
	wait := t.global.wait(failLimitGlobal, now)
	if w := t.window(key, now); w != nil {
		w.add(now)
		wait = max(wait, w.wait(failLimitPerKey, now))
	}
	return wait
}

// window returns the key's window, or nil when the map is full of live
// entries; such a key is then only counted by the global ceiling.
func (t *throttle) window(key string, now time.Time) *window {
	if w, ok := t.keys[key]; ok {
		return w
	}
	if len(t.keys) >= maxFailKeys && !t.prune(now) {
		return nil
	}
	w := &window{start: now}
	t.keys[key] = w
	return w
}

// prune drops expired entries and reports whether there is room again.
func (t *throttle) prune(now time.Time) bool {
	if now.Before(t.nextPrune) {
		return false
	}
	oldest := now
	for k, w := range t.keys {
		if w.expired(now) {
			delete(t.keys, k)
		} else if w.start.Before(oldest) {
			oldest = w.start
		}
	}
	t.nextPrune = oldest.Add(failWindow)
	return len(t.keys) < maxFailKeys
}

func (t *throttle) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.keys)
}
