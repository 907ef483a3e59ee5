package search

import (
	"path"
	"strings"
	"unsafe"

	"codexpro.dev/pkg/redact"
	"codexpro.dev/pkg/workspace"
)

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
	mine := files
	if files > batchSize { // share a large directory's files with idle workers
		mine = batchSize
		for i := batchSize; i < files; i += batchSize {
			rels := make([]string, 0, batchSize)
			for _, e := range entries[i:min(files, i+batchSize)] {
				rels = append(rels, e.name)
			}
			node.pending.Add(1)
			subdirs = append(subdirs, job{parent: node, files: rels})
		}
	}
	s.push(subdirs)
	for _, e := range entries[:mine] {
		if s.stop.Load() {
			break
		}
		out = s.file(ref, e.name, sc, out)
	}
	return out
}

// batchSize is how many files of one directory a worker searches before
// the rest is offered to other workers.
const batchSize = 64

// batch searches files queued by the worker that listed their directory.
func (s *state) batch(j job, sc *scratch, out []Match) []Match {
	defer s.release(j.parent)
	for _, rel := range j.files {
		if s.stop.Load() {
			break
		}
		out = s.file(j.parent.ref, rel, sc, out)
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
	if s.memo.isBlocked(s.w, rel) {
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
		if s.memo.isBlocked(s.w, rel) {
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

// searchData searches one file's content. A file with a hit is redacted
// whole (redact.Judge, remembered by content across an Engine's searches)
// before its lines are shown, so a hit inside a key block or on the value
// line of "api_key:" shows the redacted line. The unit holds no reference
// to data, a buffer the worker reuses.
func (s *state) searchData(data []byte, rel string, sc *scratch, out []Match) []Match {
	if len(data) == 0 || workspace.LooksBinary(data[:min(len(data), workspace.BinarySniffBytes)]) {
		return out
	}
	s.files.Add(1)
	var unit *redact.Unit // judged at the first hit: most files have none
	s.m.scan(data, sc, func(n int, line []byte) bool {
		if unit == nil {
			u := s.judged.Judge(unsafe.String(unsafe.SliceData(data), len(data)), nil)
			unit = &u
		}
		if red, ok := unit.Line(n); ok {
			// The line holds part of a secret: it matches only if its
			// redacted form does, or hit and miss would spell the secret out.
			if !s.m.matchLine([]byte(red)) {
				return true
			}
			line = []byte(red)
		}
		m := Match{Path: rel, Line: n, Text: lineText(line)}
		out = append(out, m)
		if s.found.Add(1) > int64(s.o.MaxResults) || s.o.MaxTextBytes > 0 && s.text.Add(textSize(m)) > s.o.MaxTextBytes {
			s.halt()
			return false
		}
		return !s.stop.Load()
	})
	return out
}
