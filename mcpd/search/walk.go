package search

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	"codexpro.dev/pkg/workspace"
)

// maxIgnoreBytes bounds a .gitignore file; a larger one is not read.
const maxIgnoreBytes = 1 << 20

// state is one search in progress: a shared stack of directories that a
// fixed set of workers drains, each worker listing a directory, pushing its
// subdirectories and searching its files.
type state struct {
	ctx context.Context
	w   *workspace.Workspace
	o   Options
	m   *matcher
	flt filter
	src source

	rootRel string
	single  []Match // result of searching one file given as Path
	isFile  bool

	mu     sync.Mutex
	cond   sync.Cond
	stack  []job
	active int
	halted bool

	stop  atomic.Bool
	found atomic.Int64
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
}

// dirNode keeps a directory open until all its subdirectories are opened.
type dirNode struct {
	ref     dirRef
	pending atomic.Int32
}

func (s *state) release(n *dirNode) {
	if n.pending.Add(-1) == 0 {
		s.src.closeDir(n.ref)
	}
}

// start opens the search path through the guard (refusing escapes, blocked
// paths and symlinks leading outside) and queues it.
func (s *state) start() error {
	f, rel, err := s.w.Open(s.o.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", rel, err)
	}
	s.rootRel = rel
	if fi.Mode().IsRegular() {
		s.isFile = true
		s.searchOne(f, rel, fi.Size())
		return nil
	}
	if !fi.IsDir() {
		return &workspace.Refusal{Rule: workspace.RuleNotFile, Path: s.o.Path, Detail: "neither a file nor a directory"}
	}
	ref, err := s.src.root(f, rel)
	if err != nil {
		return err
	}
	s.stack = []job{{rel: rel, ign: s.ancestorIgnores(rel), ref: ref, ready: true}}
	return nil
}

// ancestorIgnores loads the .gitignore files of the directories above the
// search path, root first, as git applies them.
func (s *state) ancestorIgnores(rel string) *ignoreList {
	var l *ignoreList
	if rel == "." {
		return nil
	}
	dirs := []string{"."}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		dirs = append(dirs, strings.Join(parts[:i], "/"))
	}
	for _, d := range dirs {
		data, _, err := s.w.ReadFile(path.Join(d, ".gitignore"), maxIgnoreBytes)
		if err == nil {
			l = l.withFile(d, data)
		}
	}
	return l
}

// searchOne searches a file named directly by Path: the user asked for it,
// so the hidden, ignore and glob rules do not apply; the guard already did.
func (s *state) searchOne(f fs.File, rel string, size int64) {
	if size > s.o.MaxFileBytes {
		return
	}
	var sc scratch
	data, ok := readAll(f, size, &sc)
	if !ok {
		return
	}
	s.per = [][]Match{nil}
	s.per[0] = s.searchData(data, rel, &sc, nil)
}

func (s *state) result(ctx context.Context) (Result, error) {
	if !s.isFile {
		stopWatch := context.AfterFunc(ctx, s.halt)
		s.walk()
		stopWatch()
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("search cancelled: %w", err)
	}
	var all []Match
	for _, p := range s.per {
		all = append(all, p...)
	}
	sortMatches(all)
	r := Result{Files: int(s.files.Load()), Truncated: len(all) > s.o.MaxResults}
	if r.Truncated {
		all = all[:s.o.MaxResults]
	}
	r.Matches = all
	if r.Matches == nil {
		r.Matches = []Match{}
	}
	return r, nil
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
		if j.ready {
			s.src.closeDir(j.ref)
		} else {
			s.release(j.parent)
		}
	}
	s.stack = nil
}

func (s *state) worker(id int) {
	var sc scratch
	for {
		j, ok := s.pop()
		if !ok {
			return
		}
		s.per[id] = s.dir(j, &sc, s.per[id])
		s.done()
	}
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

// halt stops the walk: the result cap was passed or the context ended.
func (s *state) halt() {
	s.stop.Store(true)
	s.mu.Lock()
	s.halted = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

// dir lists one directory, queues its subdirectories and searches its files.
func (s *state) dir(j job, sc *scratch, out []Match) []Match {
	ref := j.ref
	if !j.ready {
		var err error
		ref, err = s.src.openDir(j.parent.ref, j.name, j.rel)
		s.release(j.parent)
		if err != nil {
			return out // unreadable or replaced since it was listed: skipped
		}
	}
	node := &dirNode{ref: ref}
	node.pending.Store(1)
	defer s.release(node)
	entries, err := s.src.list(ref, sc)
	if err != nil || s.stop.Load() {
		return out
	}
	ign := s.dirIgnores(j, ref, entries, sc)
	var subdirs []job
	files := 0
	for _, e := range entries {
		rel, ok := s.admit(j.rel, e, ign)
		if !ok {
			continue
		}
		if e.kind == kindDir {
			node.pending.Add(1)
			subdirs = append(subdirs, job{parent: node, name: e.name, rel: rel, ign: ign})
			continue
		}
		entries[files] = entry{name: rel, kind: kindFile} // reuse the slice for admitted files
		files++
	}
	s.push(subdirs)
	for _, e := range entries[:files] {
		if s.stop.Load() {
			break
		}
		out = s.file(ref, e.name, sc, out)
	}
	return out
}

// admit applies the per-entry rules, cheapest first, and returns the
// entry's workspace-relative path.
func (s *state) admit(dirRel string, e entry, ign *ignoreList) (string, bool) {
	if e.kind == kindOther || workspace.IsTempName(e.name) {
		return "", false
	}
	if !s.o.IncludeHidden && e.name[0] == '.' {
		return "", false
	}
	rel := e.name
	if dirRel != "." {
		rel = dirRel + "/" + e.name
	}
	if _, blocked := s.w.Blocked(rel); blocked {
		return "", false
	}
	if ign != nil && ign.ignored(rel, e.name, e.kind == kindDir) {
		return "", false
	}
	if e.kind == kindFile && !s.flt.wants(s.below(rel), e.name) {
		return "", false
	}
	return rel, true
}

// below is rel relative to the search path, for the user glob.
func (s *state) below(rel string) string {
	if s.flt.base || s.flt.glob == "" {
		return rel // unused: the glob sees the name only
	}
	if s.rootRel == "." {
		return rel
	}
	return strings.TrimPrefix(rel, s.rootRel+"/")
}

// dirIgnores adds the directory's own .gitignore, if any, to the chain.
func (s *state) dirIgnores(j job, ref dirRef, entries []entry, sc *scratch) *ignoreList {
	for _, e := range entries {
		if e.name != ".gitignore" || e.kind != kindFile {
			continue
		}
		rel := path.Join(j.rel, e.name)
		if _, blocked := s.w.Blocked(rel); blocked {
			break
		}
		if data, ok := s.src.readFile(ref, e.name, rel, sc, maxIgnoreBytes); ok {
			return j.ign.withFile(j.rel, data)
		}
		break
	}
	return j.ign
}

// file searches one admitted file.
func (s *state) file(ref dirRef, rel string, sc *scratch, out []Match) []Match {
	data, ok := s.src.readFile(ref, path.Base(rel), rel, sc, s.o.MaxFileBytes)
	if !ok {
		return out
	}
	return s.searchData(data, rel, sc, out)
}

func (s *state) searchData(data []byte, rel string, sc *scratch, out []Match) []Match {
	if len(data) == 0 || workspace.LooksBinary(data[:min(len(data), workspace.BinarySniffBytes)]) {
		return out
	}
	s.files.Add(1)
	s.m.scan(data, sc, func(n int, line []byte) bool {
		out = append(out, Match{Path: rel, Line: n, Text: lineText(line)})
		if s.found.Add(1) > int64(s.o.MaxResults) {
			s.halt()
			return false
		}
		return !s.stop.Load()
	})
	return out
}
