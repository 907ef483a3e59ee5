package workspace

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// tempMarker is part of every temp file name, so listings can hide a temp
// file left behind by a crash.
const tempMarker = ".codexpro-"

// IsTempName reports whether name is one of our in-flight temp files.
func IsTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempMarker) && strings.HasSuffix(name, ".tmp")
}

// WriteFile replaces input's content atomically: a temp file in the same
// directory, fsync, rename, fsync of the directory. A crash leaves the old
// file or the new one, never a mix. perm 0 keeps an existing file's mode
// (0644 for a new file). Missing parent directories are created.
func (w *Workspace) WriteFile(input string, data []byte, perm fs.FileMode) (string, error) {
	rel, err := w.resolveForWrite(input)
	if err != nil {
		return "", err
	}
	dir, base := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		dir = "."
	} else if err := w.root.MkdirAll(dir, 0o755); err != nil {
		return "", w.osError(err, input)
	}
	d, err := w.root.OpenRoot(dir)
	if err != nil {
		return "", w.osError(err, input)
	}
	defer d.Close()
	mode, err := targetMode(d, base, perm, input)
	if err != nil {
		return "", err
	}
	if err := w.replace(d, dir, base, data, mode, input); err != nil {
		return "", err
	}
	return rel, nil
}

// resolveForWrite refuses a target that is itself a symlink: renaming over
// it would replace the link, not the file the user sees through it.
func (w *Workspace) resolveForWrite(input string) (string, error) {
	lex, err := w.lexical(input)
	if err != nil {
		return "", err
	}
	if lex == "." {
		return "", refuse(RuleNotFile, input, "the workspace root is a directory")
	}
	if fi, err := w.root.Lstat(lex); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return "", refuse(RuleWriteThroughSymlink, input, "")
	}
	return w.Resolve(input)
}

func targetMode(d *os.Root, base string, perm fs.FileMode, input string) (fs.FileMode, error) {
	fi, err := d.Lstat(base)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if perm == 0 {
			perm = 0o644
		}
		return perm, nil
	case err != nil:
		return 0, err
	case fi.Mode()&fs.ModeSymlink != 0:
		return 0, refuse(RuleWriteThroughSymlink, input, "")
	case !fi.Mode().IsRegular():
		return 0, refuse(RuleNotFile, input, "")
	case perm == 0:
		return fi.Mode().Perm(), nil
	}
	return perm, nil
}

// replace writes data to a temp file inside d and renames it over base. All
// names are single components relative to d's descriptor, so a directory
// swapped for a symlink after d was opened cannot redirect the write.
func (w *Workspace) replace(d *os.Root, dir, base string, data []byte, mode fs.FileMode, input string) error {
	err := replaceIn(d, base, data, mode, func(f *os.File, tmp string) error { return w.verifyDir(f, dir, tmp, input) })
	var r *Refusal
	if err != nil && !errors.As(err, &r) {
		return w.osError(err, input)
	}
	return err
}

// ReplaceFile atomically replaces name, one path component, inside the
// directory d with data of mode perm: a temp file beside it (a name
// IsTempName recognises), fsync, rename, fsync of the directory. A crash
// leaves the old file or the new one, never a mix. It is the one atomic
// writer for files in a workspace; callers that guard paths their own way
// (handoff's link-free files) open the directory and write through it.
func ReplaceFile(d *os.Root, name string, data []byte, perm fs.FileMode) error {
	return replaceIn(d, name, data, perm, nil)
}

// replaceIn is the atomic replace itself; check, when given, vets the open
// temp file before anything is written to it.
func replaceIn(d *os.Root, base string, data []byte, mode fs.FileMode, check func(f *os.File, tmp string) error) error {
	tmp, err := tempName(base)
	if err != nil {
		return err
	}
	f, err := d.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			_ = d.Remove(tmp)
		}
	}()
	if check != nil {
		if err := check(f, tmp); err != nil {
			return err
		}
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := d.Rename(tmp, base); err != nil {
		return err
	}
	ok = true
	syncDir(d)
	return nil
}

// verifyDir checks that the temp file landed in the directory the guard
// approved, by the kernel's account of its path.
func (w *Workspace) verifyDir(f *os.File, dir, tmp, input string) error {
	real, ok := kernelPath(f)
	if !ok {
		return nil
	}
	want := filepath.Join(w.kroot, filepath.FromSlash(dir), tmp)
	if !samePath(real, want) {
		return refuse(RuleSymlinkEscape, input, "the directory changed during the write")
	}
	return nil
}

func tempName(base string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	name := base
	if len(name) > 100 {
		name = name[:100]
	}
	return "." + name + tempMarker + hex.EncodeToString(b[:]) + ".tmp", nil
}

// syncDir makes the rename durable; failure only weakens durability, never
// atomicity, so it is not reported.
func syncDir(d *os.Root) {
	if f, err := d.Open("."); err == nil {
		_ = f.Sync()
		f.Close()
	}
}
