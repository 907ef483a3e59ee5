package search

import (
	"context"
	"sync"
	"sync/atomic"

	"codexpro.dev/pkg/redact"
	"codexpro.dev/pkg/workspace"
)

// Engine runs searches and keeps what later searches of the same workspace
// can reuse. The blocked-path decision is a pure function of the path and
// the workspace's fixed blocked globs, so it is remembered with no need for
// invalidation; on a large tree it is the costliest per-entry check. The
// whole-file judgement of redaction (see searchData) is remembered by the
// file's content, so a file searched again unchanged is not judged again.
// One Engine serves concurrent searches.
type Engine struct {
	mu      sync.Mutex
	blocked map[memoKey]*blockMemo
	buffers sync.Pool // *scratch: file buffers outlive a search
	judged  *redact.Judgements
}

// memoKey names what a decision depends on: the root and the globs.
type memoKey struct {
	root string
	bl   *workspace.Blocklist
}

// maxMemo bounds the remembered decisions per workspace (about 150 bytes
// each, so at most some 15 MB; Go's own source tree needs 13,000); past it,
// decisions are computed every time.
const maxMemo = 100_000

type blockMemo struct {
	m sync.Map // rel -> bool
	n atomic.Int64
}

// NewEngine returns an Engine with empty caches.
func NewEngine() *Engine {
	return &Engine{blocked: map[memoKey]*blockMemo{}, judged: redact.NewJudgements()}
}

// Search is the package-level Search with the engine's caches.
func (e *Engine) Search(ctx context.Context, w *workspace.Workspace, o Options) (Result, error) {
	return run(ctx, w, o, defaultSource(w), e)
}

func (e *Engine) memo(w *workspace.Workspace) *blockMemo {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := memoKey{w.Root, w.Blocklist()}
	m, ok := e.blocked[k]
	if !ok {
		m = &blockMemo{}
		e.blocked[k] = m
	}
	return m
}

// isBlocked answers w.Blocked(rel), from the memo when it can.
func (m *blockMemo) isBlocked(w *workspace.Workspace, rel string) bool {
	if m == nil {
		_, b := w.Blocked(rel)
		return b
	}
	if v, ok := m.m.Load(rel); ok {
		return v.(bool)
	}
	_, b := w.Blocked(rel)
	if m.n.Load() < maxMemo {
		m.n.Add(1)
		m.m.Store(rel, b)
	}
	return b
}
