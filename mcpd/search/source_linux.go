//go:build linux

package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"codexpro.dev/pkg/workspace"
)

func defaultSource(*workspace.Workspace) source { return fdSource{} }

// fdSource opens every entry relative to its parent's descriptor, one name
// at a time, with O_NOFOLLOW: no path is resolved twice and no symlink can
// be followed, even one swapped in after the directory was listed. Raw
// system calls keep the per-file cost to openat, fstat, read and close with
// no allocation.
type fdSource struct{}

const (
	openFlags = syscall.O_RDONLY | syscall.O_CLOEXEC | syscall.O_NOFOLLOW
	// O_NONBLOCK: a FIFO swapped in for a listed file must not hang a worker.
	fileFlags = openFlags | syscall.O_NONBLOCK
	dirFlags  = openFlags | syscall.O_DIRECTORY
)

func (fdSource) root(f *os.File, _ string) (dirRef, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return dirRef{}, err
	}
	fd, oerr := -1, error(nil)
	// A fresh descriptor for "." of the verified directory outlives f.
	if err := rc.Control(func(p uintptr) { fd, oerr = openat(int(p), ".", dirFlags) }); err != nil {
		return dirRef{}, err
	}
	if oerr != nil {
		return dirRef{}, fmt.Errorf("open search directory: %w", oerr)
	}
	return dirRef{fd: fd}, nil
}

func (fdSource) openDir(parent dirRef, name, _ string) (dirRef, error) {
	fd, err := openat(parent.fd, name, dirFlags)
	if err != nil {
		return dirRef{}, err
	}
	return dirRef{fd: fd}, nil
}

func (fdSource) closeDir(d dirRef) { _ = syscall.Close(d.fd) }

func openat(dir int, name string, flags int) (int, error) {
	for {
		fd, err := syscall.Openat(dir, name, flags, 0)
		if !errors.Is(err, syscall.EINTR) {
			return fd, err
		}
	}
}

func (fdSource) readFile(d dirRef, name, _ string, sc *scratch, max int64) ([]byte, bool) {
	fd, err := openat(d.fd, name, fileFlags)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	// A file with more than one hard link is skipped, as the guard refuses
	// it (workspace.RuleHardLink): another of its names may be outside.
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size > max || st.Nlink > 1 {
		return nil, false
	}
	buf := sc.grow(st.Size)
	got := 0
	for got < len(buf) {
		n, err := syscall.Read(fd, buf[got:])
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return nil, false
		}
		if n == 0 {
			break
		}
		got += n
	}
	return buf[:got], true
}

// list reads raw linux_dirent64 records: getdents fills a reused buffer and
// the names are taken from it directly.
func (fdSource) list(d dirRef, sc *scratch) ([]entry, error) {
	if sc.dents == nil {
		sc.dents = make([]byte, 32<<10)
	}
	out := sc.entries[:0]
	for {
		n, err := syscall.Getdents(d.fd, sc.dents)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			break
		}
		out = parseDirents(d.fd, sc.dents[:n], out)
	}
	sc.entries = out
	return out, nil
}

// Offsets in struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16,
// d_type u8, then the NUL-terminated name.
const (
	direntReclen = 16
	direntType   = 18
	direntName   = 19
)

func parseDirents(dirfd int, b []byte, out []entry) []entry {
	for len(b) >= direntName {
		reclen := int(binary.NativeEndian.Uint16(b[direntReclen:]))
		if reclen < direntName || reclen > len(b) {
			break
		}
		rec := b[:reclen]
		b = b[reclen:]
		if binary.NativeEndian.Uint64(rec) == 0 {
			continue // deleted entry
		}
		name := rec[direntName:]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		if len(name) == 0 || string(name) == "." || string(name) == ".." {
			continue
		}
		s := string(name)
		out = append(out, entry{name: s, kind: direntKind(dirfd, s, rec[direntType])})
	}
	return out
}

func direntKind(dirfd int, name string, t byte) entryKind {
	switch t {
	case syscall.DT_REG:
		return kindFile
	case syscall.DT_DIR:
		return kindDir
	case syscall.DT_UNKNOWN: // some file systems leave the type to lstat
		var st unix.Stat_t
		if unix.Fstatat(dirfd, name, &st, unix.AT_SYMLINK_NOFOLLOW) != nil {
			return kindOther
		}
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFREG:
			return kindFile
		case unix.S_IFDIR:
			return kindDir
		}
	}
	return kindOther
}
