package search

import (
	"fmt"
	"sync"
	"sync/atomic"

	"codexpro.dev/pkg/redact"
	"codexpro.dev/pkg/workspace"
)

// state is one search in progress: a shared stack of directories that a
// fixed set of workers drains, each worker listing a directory, pushing its
// subdirectories and searching its files.
type state struct {
	w    *workspace.Workspace
	o    Options
	m    *matcher
	flt  filter
	src  source
	memo *blockMemo // nil: no cache
	pool *sync.Pool // of *scratch; nil: no reuse across searches
	// judged remembers whole-file judgements across searches; nil: none
	judged *redact.Judgements

	rootRel string
	isFile  bool // Path named a file: no walk

	mu     sync.Mutex
	cond   sync.Cond
	stack  []job
	active int
	halted bool
	err    error // from fail

	stop  atomic.Bool
	found atomic.Int64
	text  atomic.Int64 // bytes of the matches found, against MaxTextBytes
	files atomic.Int64
	per   [][]Match // one slice per worker
}

// job is a directory to process. Its descriptor is opened from the parent's
// when a worker takes it, so only directories in progress hold one.
type job struct {
	parent *dirNode
	name   string
	rel    string
	ign    *ignoreList
	ref    dirRef // already open (the search root)
	ready  bool
	files  []string // a batch of files of parent to search, not a directory
}

// dirNode keeps a directory open until all its subdirectories are opened
// and its files searched.
type dirNode struct {
	ref     dirRef
	pending atomic.Int32
}

func (s *state) release(n *dirNode) {
	if n.pending.Add(-1) == 0 {
		s.src.closeDir(n.ref)
	}
}

func (s *state) walk() {
	s.cond.L = &s.mu
	s.per = make([][]Match, s.o.Workers)
	var wg sync.WaitGroup
	for i := range s.o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.worker(i)
		}()
	}
	wg.Wait()
	for _, j := range s.stack { // left behind by an early stop
		switch {
		case j.ready:
			s.src.closeDir(j.ref)
		default:
			s.release(j.parent)
		}
	}
	s.stack = nil
}

func (s *state) worker(id int) {
	sc := s.scratch()
	defer func() {
		// A bug must cost one search, not the server: mcp-go recovers
		// panics in handlers but not in goroutines they start.
		if r := recover(); r != nil {
			s.fail(fmt.Errorf("search stopped on an internal error: %v", r))
			return
		}
		s.recycle(sc)
	}()
	for {
		j, ok := s.pop()
		if !ok {
			return
		}
		if j.files != nil {
			s.per[id] = s.batch(j, sc, s.per[id])
		} else {
			s.per[id] = s.dir(j, sc, s.per[id])
		}
		s.done()
	}
}

func (s *state) scratch() *scratch {
	if s.pool != nil {
		if sc, ok := s.pool.Get().(*scratch); ok {
			return sc
		}
	}
	return &scratch{}
}

// recycle keeps a worker's buffers for the next search, minus what belongs
// to this one (the DFA is built for this query; names would pin memory).
func (s *state) recycle(sc *scratch) {
	if s.pool == nil {
		return
	}
	clear(sc.entries[:cap(sc.entries)])
	sc.entries, sc.dfa = sc.entries[:0], nil
	s.pool.Put(sc)
}

func (s *state) pop() (job, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.stack) == 0 && s.active > 0 && !s.halted {
		s.cond.Wait()
	}
	if s.halted || len(s.stack) == 0 {
		return job{}, false
	}
	j := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	s.active++
	return j, true
}

func (s *state) push(js []job) {
	if len(js) == 0 {
		return
	}
	s.mu.Lock()
	s.stack = append(s.stack, js...)
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (s *state) done() {
	s.mu.Lock()
	s.active--
	idle := s.active == 0 && len(s.stack) == 0
	s.mu.Unlock()
	if idle {
		s.cond.Broadcast()
	}
}

// fail records the first internal error and stops the walk.
func (s *state) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	s.halt()
}

// halt stops the walk: the result cap was passed or the context ended.
func (s *state) halt() {
	s.stop.Store(true)
	s.mu.Lock()
	s.halted = true
	s.mu.Unlock()
	s.cond.Broadcast()
}
