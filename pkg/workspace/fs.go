package workspace

import (
	"io/fs"
	"path"
)

// FS returns a read-only fs.FS over the workspace in which every Open goes
// through the guard and directory listings omit blocked entries and our temp
// files. Walkers (fs.WalkDir, doublestar) can use it without extra checks.
func (w *Workspace) FS() fs.FS { return guardedFS{w} }

type guardedFS struct{ w *Workspace }

func (g guardedFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, _, err := g.w.Open(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

func (g guardedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, rel, err := g.w.ReadDir(name)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	out := entries[:0]
	for _, e := range entries {
		if IsTempName(e.Name()) {
			continue
		}
		if _, blocked := g.w.blocked.Match(path.Join(rel, e.Name())); blocked {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

func (g guardedFS) Stat(name string) (fs.FileInfo, error) {
	fi, _, err := g.w.Stat(name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return fi, nil
}
