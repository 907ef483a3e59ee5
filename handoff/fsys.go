package handoff

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// rootFS is handoff's guard for the files it reads and writes in the
// workspace: every access goes through os.Root (no escape by "..",
// absolute paths or symlinks), and on top of that no path component may be
// a symlink at all, so a planted link cannot redirect a status or log file
// even within the workspace. Writes are temp file + fsync + rename.
type rootFS struct {
	dir  string
	root *os.Root
}

func openRootFS(dir string) (*rootFS, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open workspace root %s: %w", dir, err)
	}
	return &rootFS{dir: dir, root: r}, nil
}

func (r *rootFS) Close() error { return r.root.Close() }

// clean validates a workspace-relative slash path.
func clean(rel string) (string, error) {
	c := path.Clean(strings.ReplaceAll(rel, `\`, "/"))
	if !filepath.IsLocal(filepath.FromSlash(c)) || c == "." {
		return "", fmt.Errorf("path escapes workspace root: %s", rel)
	}
	return c, nil
}

// noSymlinks refuses rel when any existing component of it is a symlink.
func (r *rootFS) noSymlinks(rel string) error {
	parts := strings.Split(rel, "/")
	for i := range parts {
		sub := strings.Join(parts[:i+1], "/")
		fi, err := r.root.Lstat(sub)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("lstat %s: %w", sub, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("symlink paths are not allowed for local handoff files: %s", sub)
		}
	}
	return nil
}

// WriteFile atomically replaces rel with data.
func (r *rootFS) WriteFile(rel string, data []byte, perm fs.FileMode) (string, error) {
	c, err := clean(rel)
	if err != nil {
		return "", err
	}
	if err := r.noSymlinks(c); err != nil {
		return "", err
	}
	if dir := path.Dir(c); dir != "." {
		if err := r.root.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("create %s: %w", dir, err)
		}
	}
	var nonce [6]byte
	_, _ = rand.Read(nonce[:])
	tmp := path.Join(path.Dir(c), "."+path.Base(c)+".tmp-"+hex.EncodeToString(nonce[:]))
	f, err := r.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", c, err)
	}
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = r.root.Rename(tmp, c)
	}
	if werr != nil {
		_ = r.root.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", c, werr)
	}
	return c, nil
}

// ReadFile reads rel, refusing files larger than max bytes.
func (r *rootFS) ReadFile(rel string, max int64) ([]byte, string, error) {
	c, err := clean(rel)
	if err != nil {
		return nil, "", err
	}
	if err := r.noSymlinks(c); err != nil {
		return nil, c, err
	}
	f, err := r.root.Open(c)
	if err != nil {
		return nil, c, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, c, err
	}
	if !fi.Mode().IsRegular() {
		return nil, c, fmt.Errorf("%s is not a regular file", c)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, c, fmt.Errorf("read %s: %w", c, err)
	}
	if int64(len(data)) > max {
		return nil, c, fmt.Errorf("%s is too large (%d bytes). Limit: %d bytes", c, fi.Size(), max)
	}
	return data, c, nil
}

// Lstat stats rel without following a final symlink.
func (r *rootFS) Lstat(rel string) (fs.FileInfo, error) {
	c, err := clean(rel)
	if err != nil {
		return nil, err
	}
	return r.root.Lstat(c)
}

// abs is the absolute host path of a workspace-relative path.
func (r *rootFS) abs(rel string) string {
	return filepath.Join(r.dir, filepath.FromSlash(rel))
}
