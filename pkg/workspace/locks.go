package workspace

import (
	"sort"
	"sync"
)

// lockTable serializes writers per resolved path within this process.
type lockTable struct {
	mu    sync.Mutex
	locks map[string]*pathLock
}

type pathLock struct {
	mu   sync.Mutex
	refs int
}

func newLockTable() *lockTable { return &lockTable{locks: map[string]*pathLock{}} }

// Lock takes the write locks for the given resolved paths in sorted order
// (so two multi-file writers cannot deadlock) and returns the unlock.
func (w *Workspace) Lock(rels ...string) (unlock func()) {
	keys := append([]string(nil), rels...)
	sort.Strings(keys)
	keys = dedupe(keys)
	held := make([]*pathLock, 0, len(keys))
	for _, k := range keys {
		l := w.locks.acquire(k)
		l.mu.Lock()
		held = append(held, l)
	}
	return func() {
		for i := len(held) - 1; i >= 0; i-- {
			held[i].mu.Unlock()
			w.locks.release(keys[i])
		}
	}
}

func (t *lockTable) acquire(k string) *pathLock {
	t.mu.Lock()
	defer t.mu.Unlock()
	l, ok := t.locks[k]
	if !ok {
		l = &pathLock{}
		t.locks[k] = l
	}
	l.refs++
	return l
}

func (t *lockTable) release(k string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if l := t.locks[k]; l != nil {
		if l.refs--; l.refs == 0 {
			delete(t.locks, k)
		}
	}
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
