package analysis

import (
	"context"
	"fmt"
	"os"
	"path"
	"sort"

	"codexpro.dev/mcpd/internal/filestamp"
	"codexpro.dev/pkg/workspace"
)

// dirState is a directory's filtered listing, valid while the directory's
// own (mtime, inode) stamp is unchanged: adding, removing or renaming an
// entry (every atomic write renames) changes the directory's mtime.
type dirState struct {
	stamp       filestamp.Stamp
	files, dirs []string // names; blocked and temp entries already dropped
}

// walker lists the workspace with one descriptor per directory level, so a
// warm walk costs a stat per directory and per file: no readdir and no
// blocklist matching for directories that did not change.
type walker struct {
	ctx   context.Context
	w     *workspace.Workspace
	a     *wsAnalysis
	out   []walkedFile
	seen  map[string]bool
	full  bool
	limit int
}

// walk returns the workspace's regular files, sorted, with their stamps.
// Only stats are taken here; contents are read later through the guard.
func (a *wsAnalysis) walk(ctx context.Context, w *workspace.Workspace) ([]walkedFile, bool, error) {
	root, err := os.OpenRoot(w.Root)
	if err != nil {
		return nil, false, fmt.Errorf("open workspace %s: %w", w.Root, err)
	}
	defer root.Close()
	k := &walker{ctx: ctx, w: w, a: a, seen: map[string]bool{}, limit: MaxFiles}
	if err := k.dir(root, "."); err != nil {
		return nil, false, err
	}
	for rel := range a.dirs {
		if !k.seen[rel] {
			delete(a.dirs, rel)
		}
	}
	sort.Slice(k.out, func(i, j int) bool { return k.out[i].rel < k.out[j].rel })
	return k.out, k.full, nil
}

func (k *walker) dir(d *os.Root, rel string) error {
	if err := k.ctx.Err(); err != nil {
		return err
	}
	k.seen[rel] = true
	fi, err := d.Stat(".")
	if err != nil {
		return nil // vanished or unreadable: skipped, not fatal
	}
	st := k.a.dirs[rel]
	if st == nil || st.stamp != filestamp.Of(fi) {
		if st, err = k.list(d, rel, filestamp.Of(fi)); err != nil {
			return nil
		}
		k.a.dirs[rel] = st
	}
	for _, name := range st.files {
		if len(k.out) >= k.limit {
			k.full = true
			return nil
		}
		if fi, err := d.Lstat(name); err == nil && fi.Mode().IsRegular() {
			k.out = append(k.out, walkedFile{path.Join(rel, name), filestamp.Of(fi)})
		}
	}
	for _, name := range st.dirs {
		if k.full {
			return nil
		}
		if err := k.sub(d, rel, name); err != nil {
			return err
		}
	}
	return nil
}

// sub descends into a child directory, refusing one that was swapped for
// a symlink since it was listed (os.Root would follow it within the root).
func (k *walker) sub(d *os.Root, rel, name string) error {
	li, err := d.Lstat(name)
	if err != nil || !li.IsDir() {
		return nil
	}
	child, err := d.OpenRoot(name)
	if err != nil {
		return nil
	}
	defer child.Close()
	if ci, err := child.Stat("."); err != nil || !os.SameFile(li, ci) {
		return nil
	}
	return k.dir(child, path.Join(rel, name))
}

// list reads a changed directory and drops what the guard hides.
func (k *walker) list(d *os.Root, rel string, stamp filestamp.Stamp) (*dirState, error) {
	f, err := d.Open(".")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	st := &dirState{stamp: stamp}
	for _, e := range entries {
		child := path.Join(rel, e.Name())
		if workspace.IsTempName(e.Name()) {
			continue
		}
		if _, blocked := k.w.Blocked(child); blocked {
			continue
		}
		switch {
		case e.Type().IsRegular():
			st.files = append(st.files, e.Name())
		case e.IsDir():
			st.dirs = append(st.dirs, e.Name())
		}
	}
	sort.Strings(st.files)
	sort.Strings(st.dirs)
	return st, nil
}
