package handoff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// fingerprint hashes the state of the workspace outside the context dir:
// the staged index entries plus, for every changed or untracked path, its
// status record and its current content. It ignores mtimes, so touching a
// file is not a change and rewriting it with other bytes is.
func (g git) fingerprint(ctx context.Context, contextDir string) (string, error) {
	h := sha256.New()
	staged, err := g.run(ctx, "diff", "--cached", "--raw", "-z", "--no-ext-diff", "--no-textconv", "--", ".", excludeContext(contextDir))
	if err != nil {
		return "", err
	}
	io.WriteString(h, staged)
	entries, err := g.status(ctx)
	if err != nil {
		return "", err
	}
	for _, e := range outsideContext(entries, contextDir) {
		fmt.Fprintf(h, "\x00%s", e.Line)
		for _, p := range e.Paths {
			fmt.Fprintf(h, "\x00%s", pathState(filepath.Join(g.root, filepath.FromSlash(p))))
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// pathState describes a file for the fingerprint.
func pathState(p string) string {
	fi, err := os.Lstat(p)
	if err != nil {
		return "missing"
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		t, _ := os.Readlink(p)
		return "symlink=" + t
	case fi.IsDir():
		return "dir"
	case !fi.Mode().IsRegular():
		return "other"
	}
	sum, err := fileSHA256(p, -1)
	if err != nil {
		return "unreadable"
	}
	return fmt.Sprintf("mode=%o;size=%d;sha256=%s", fi.Mode().Perm(), fi.Size(), sum)
}

// fileSHA256 hashes the first limit bytes of a file (all of it when
// limit < 0).
func fileSHA256(p string, limit int64) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	var r io.Reader = f
	if limit >= 0 {
		r = io.LimitReader(f, limit)
	}
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
