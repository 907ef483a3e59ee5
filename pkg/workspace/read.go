package workspace

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// BinarySniffBytes is how much of a file decides "binary" when a caller
// only has a prefix (search, listings); read checks the whole content.
const BinarySniffBytes = 8 << 10

// LooksBinary reports a NUL byte in p: text files in any common encoding
// but UTF-16 have none.
func LooksBinary(p []byte) bool { return bytes.IndexByte(p, 0) >= 0 }

// Open opens a file or directory read-only. After opening it asks the kernel
// where the descriptor really points and refuses if a symlink swapped in
// during the call moved it onto a blocked path.
func (w *Workspace) Open(input string) (*os.File, string, error) {
	rel, err := w.Resolve(input)
	if err != nil {
		return nil, "", err
	}
	f, err := w.root.OpenFile(rel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, "", w.osError(err, input)
	}
	if err := w.verify(f, input); err != nil {
		f.Close()
		return nil, "", err
	}
	return f, rel, nil
}

// verify checks the kernel's path of an open descriptor: inside the root and
// not blocked. Where the OS cannot say, os.Root's own confinement stands.
func (w *Workspace) verify(f *os.File, input string) error {
	real, ok := kernelPath(f)
	if !ok {
		return nil
	}
	if !within(w.kroot, real) {
		return refuse(RuleSymlinkEscape, input, "the path changed during the call")
	}
	rel, _ := filepath.Rel(w.kroot, real)
	if g, blocked := w.blocked.Match(filepath.ToSlash(rel)); blocked {
		return refuse(RuleBlocked, input, "the path changed during the call to one matching blocked glob %q", g)
	}
	return nil
}

// ReadFile reads a whole regular text file of at most max bytes.
func (w *Workspace) ReadFile(input string, max int64) ([]byte, string, error) {
	f, fi, rel, err := w.openKind(input, false)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	if fi.Size() > max {
		return nil, "", refuse(RuleTooLarge, input, "%d bytes; limit %d bytes", fi.Size(), max)
	}
	data, err := readAtMost(f, fi.Size(), max)
	if err != nil {
		return nil, "", w.osError(err, input)
	}
	if int64(len(data)) > max {
		return nil, "", refuse(RuleTooLarge, input, "grew past the limit of %d bytes while reading", max)
	}
	if LooksBinary(data) {
		return nil, "", refuse(RuleBinary, input, "")
	}
	return data, rel, nil
}

// readAtMost reads up to max+1 bytes into one buffer sized from the stat,
// so a file read is one allocation; the +1 detects a file that grew.
func readAtMost(f *os.File, size, max int64) ([]byte, error) {
	buf := make([]byte, 0, min(size, max)+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, err
		case int64(len(buf)) > max:
			return buf, nil
		case len(buf) == cap(buf):
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// openKind opens input and refuses anything but a regular file (or, with
// dir, a directory), returning its stat.
func (w *Workspace) openKind(input string, dir bool) (*os.File, fs.FileInfo, string, error) {
	f, rel, err := w.Open(input)
	if err != nil {
		return nil, nil, "", err
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
		err = w.osError(err, input)
	case dir && !fi.IsDir():
		err = refuse(RuleNotDir, input, "")
	case !dir && !fi.Mode().IsRegular():
		err = refuse(RuleNotFile, input, "")
	case !dir:
		err = refuseHardLinked(f, fi, input)
	}
	if err != nil {
		f.Close()
		return nil, nil, "", err
	}
	return f, fi, rel, nil
}

// refuseHardLinked refuses a regular file with more than one hard link:
// its other names may lie outside the allowed roots or in a blocked path,
// and nothing in the file system says where, so its content is not the
// workspace's to give. Writes need no such rule: they replace the name by
// rename, which never changes what the other names hold.
func refuseHardLinked(f *os.File, fi fs.FileInfo, input string) error {
	if n, ok := linkCount(f, fi); ok && n > 1 {
		return refuse(RuleHardLink, input, "%d names share this file, and another may lie outside the workspace or in a blocked path; "+
			"if its content is yours to share, give it its own copy: cp FILE FILE.copy && mv FILE.copy FILE", n)
	}
	return nil
}

// OpenRegular is Open for callers that stream a regular file (ranged reads).
func (w *Workspace) OpenRegular(input string) (*os.File, string, error) {
	f, _, rel, err := w.openKind(input, false)
	return f, rel, err
}

// Stat describes the resolved path without opening it.
func (w *Workspace) Stat(input string) (fs.FileInfo, string, error) {
	rel, err := w.Resolve(input)
	if err != nil {
		return nil, "", err
	}
	fi, err := w.root.Lstat(rel)
	if err != nil {
		return nil, "", w.osError(err, input)
	}
	return fi, rel, nil
}

// ReadDir lists a directory. Entries are not filtered: callers skip blocked
// children with Blocked(path.Join(rel, name)).
func (w *Workspace) ReadDir(input string) ([]fs.DirEntry, string, error) {
	f, _, rel, err := w.openKind(input, true)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, "", w.osError(err, input)
	}
	return entries, rel, nil
}
