package handoff

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"codexpro.dev/pkg/workspace"
)

// rootFS is handoff's guard for the files it reads and writes in the
// workspace: every access goes through os.Root (no escape by "..",
// absolute paths or symlinks), and on top of that no path component may be
// a symlink at all, so a planted link cannot redirect a status or log file
// even within the workspace. Writes go through workspace.ReplaceFile.
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

// RefusesLinks marks rootFS as a guard that never follows a symlink
// (bridge.ReadWriter).
func (r *rootFS) RefusesLinks() {}

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
	// The directory is opened without following any link, checked on the
	// descriptor: a component swapped for a link after noSymlinks is refused.
	d, err := workspace.OpenDirNoLinks(r.root, path.Dir(c), true, 0o700)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", c, err)
	}
	defer d.Close()
	if err := workspace.ReplaceFile(d, path.Base(c), data, perm); err != nil {
		return "", fmt.Errorf("write %s: %w", c, err)
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
	d, err := workspace.OpenDirNoLinks(r.root, path.Dir(c), false, 0)
	if err != nil {
		return nil, c, err
	}
	defer d.Close()
	seen, err := d.Lstat(path.Base(c))
	if err != nil {
		return nil, c, err
	}
	f, err := d.Open(path.Base(c))
	if err != nil {
		return nil, c, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, c, err
	}
	if !os.SameFile(seen, fi) {
		return nil, c, fmt.Errorf("symlink paths are not allowed for local handoff files: %s changed during the read", c)
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
