package search

import (
	"io"
	"os"

	"codexpro.dev/pkg/workspace"
)

// entryKind is what a directory entry is, without following symlinks.
type entryKind uint8

const (
	kindOther entryKind = iota // symlink, device, socket, fifo: never opened
	kindFile
	kindDir
)

// dirRef names an open directory: a descriptor for sources that open
// relative to their parent, a workspace-relative path for the guarded one.
type dirRef struct {
	fd  int
	rel string
}

// entry is one listed name.
type entry struct {
	name string
	kind entryKind
}

// scratch is one worker's reusable memory.
type scratch struct {
	buf     []byte  // file contents
	dents   []byte  // raw directory entries
	entries []entry // names of the directory being processed
	dfa     *lazyDFA
}

// grow returns sc.buf resized to n bytes. It at least doubles when it must
// grow, so a worker reallocates a few times per search, not once per file
// larger than any before.
func (sc *scratch) grow(n int64) []byte {
	if int64(cap(sc.buf)) < n {
		sc.buf = make([]byte, max(n, 2*int64(cap(sc.buf)), 64<<10))
	}
	return sc.buf[:n]
}

// source is how the walker reaches the file system. Every method works on
// one name inside an already verified directory and must never follow a
// symlink; the walker applies the blocked, hidden and ignore rules before
// it asks for anything.
type source interface {
	// root turns the opened search directory into a dirRef.
	root(f *os.File, rel string) (dirRef, error)
	openDir(parent dirRef, name, rel string) (dirRef, error)
	list(d dirRef, sc *scratch) ([]entry, error)
	// readFile returns the content of a regular file of at most max bytes,
	// reusing sc.buf; ok is false for anything else.
	readFile(d dirRef, name, rel string, sc *scratch, max int64) (data []byte, ok bool)
	closeDir(d dirRef)
}

// guardedSource goes through the workspace guard for every directory and
// file: it resolves each path from the root again, so it is slower, but it
// needs nothing from the OS beyond os.Root.
type guardedSource struct{ w *workspace.Workspace }

func (g guardedSource) root(_ *os.File, rel string) (dirRef, error) { return dirRef{rel: rel}, nil }

func (g guardedSource) openDir(_ dirRef, _, rel string) (dirRef, error) {
	return dirRef{rel: rel}, nil
}

func (g guardedSource) list(d dirRef, sc *scratch) ([]entry, error) {
	des, _, err := g.w.ReadDir(d.rel)
	if err != nil {
		return nil, err
	}
	out := sc.entries[:0]
	for _, de := range des {
		k := kindOther
		switch t := de.Type(); {
		case t.IsDir():
			k = kindDir
		case t.IsRegular():
			k = kindFile
		}
		out = append(out, entry{name: de.Name(), kind: k})
	}
	sc.entries = out
	return out, nil
}

func (g guardedSource) readFile(_ dirRef, _, rel string, sc *scratch, max int64) ([]byte, bool) {
	f, _, err := g.w.OpenRegular(rel)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() > max {
		return nil, false
	}
	data, err := readAll(f, fi.Size(), sc)
	return data, err == nil
}

func (guardedSource) closeDir(dirRef) {}

// readAll reads a file of the given size (or less, if it shrank) into sc.buf.
func readAll(r io.Reader, size int64, sc *scratch) ([]byte, error) {
	buf := sc.grow(size)
	n, err := io.ReadFull(r, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	return buf[:n], nil
}
