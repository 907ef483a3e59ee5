package workspace

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"
)

// OpenDirNoLinks opens dir (slash-separated, relative to r) one component
// at a time and refuses it when any component is a symlink, even one that
// points inside r. The check is made on the descriptor, not the name: each
// component is opened and compared with what Lstat saw, so a directory
// swapped for a link between the check and the open is refused too. With
// mkdir, missing components are created with perm. The caller closes the
// returned root.
func OpenDirNoLinks(r *os.Root, dir string, mkdir bool, perm fs.FileMode) (*os.Root, error) {
	cur, err := r.OpenRoot(".")
	if err != nil {
		return nil, err
	}
	done := ""
	for _, seg := range segments(path.Clean(dir)) {
		done = path.Join(done, seg)
		next, err := openChildNoLink(cur, seg, done, mkdir, perm)
		cur.Close()
		if err != nil {
			return nil, err
		}
		cur = next
	}
	return cur, nil
}

// ErrLinkedComponent is wrapped by every refusal of OpenDirNoLinks and the
// LinkFree guard that is caused by a symlink.
var ErrLinkedComponent = errors.New("a path component is a symlink")

func openChildNoLink(cur *os.Root, seg, done string, mkdir bool, perm fs.FileMode) (*os.Root, error) {
	if seg == ".." {
		return nil, refuse(RuleEscape, done, "")
	}
	fi, err := cur.Lstat(seg)
	if errors.Is(err, fs.ErrNotExist) && mkdir {
		if err = cur.Mkdir(seg, perm); err == nil || errors.Is(err, fs.ErrExist) {
			fi, err = cur.Lstat(seg)
		}
	}
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, linkRefusal(done)
	}
	if !fi.IsDir() {
		return nil, refuse(RuleNotDir, done, "")
	}
	next, err := cur.OpenRoot(seg)
	if err != nil {
		return nil, err
	}
	now, err := next.Stat(".")
	if err != nil {
		next.Close()
		return nil, err
	}
	if !os.SameFile(fi, now) {
		next.Close()
		return nil, linkRefusal(done)
	}
	return next, nil
}

type linkError struct{ *Refusal }

func (e linkError) Unwrap() []error { return []error{e.Refusal, ErrLinkedComponent} }

func linkRefusal(at string) error {
	return linkError{refuse(RuleWriteThroughSymlink, at, "%s is a symlink (or was swapped for one); links are not followed here", at)}
}

// LinkFreeFS is a view of a workspace for files that must be reached only
// by their own name, never through a symlink (the context directory of
// handoff plans and reports): every component of every path is checked on
// the opened descriptor at the time of each read and write. The blocked
// globs and the atomic write of Workspace.WriteFile still apply.
type LinkFreeFS struct{ w *Workspace }

// LinkFree returns the link-refusing view of w.
func (w *Workspace) LinkFree() LinkFreeFS { return LinkFreeFS{w} }

// RefusesLinks marks a guard that never follows a symlink (see pkg/bridge).
func (LinkFreeFS) RefusesLinks() {}

func (l LinkFreeFS) split(input string) (rel, dir, base string, err error) {
	rel, err = l.w.lexical(input)
	if err != nil {
		return "", "", "", err
	}
	if rel == "." {
		return "", "", "", refuse(RuleNotFile, input, "the workspace root is a directory")
	}
	if err := l.w.checkBlocked(rel, input, ""); err != nil {
		return "", "", "", err
	}
	dir, base = path.Split(rel)
	return rel, strings.TrimSuffix(dir, "/"), base, nil
}

// WriteFile replaces rel atomically inside a directory opened without
// following any link; missing directories are created 0700.
func (l LinkFreeFS) WriteFile(input string, data []byte, perm fs.FileMode) (string, error) {
	rel, dir, base, err := l.split(input)
	if err != nil {
		return "", err
	}
	d, err := OpenDirNoLinks(l.w.root, dir, true, 0o700)
	if err != nil {
		return "", l.w.linkFreeError(err, input)
	}
	defer d.Close()
	mode, err := targetMode(d, base, perm, input)
	if err != nil {
		return "", err
	}
	if dir == "" {
		dir = "."
	}
	if err := l.w.replace(d, dir, base, data, mode, input); err != nil {
		return "", err
	}
	return rel, nil
}

// ReadFile reads a regular text file of at most max bytes that is reached
// without any link; a missing file matches fs.ErrNotExist.
func (l LinkFreeFS) ReadFile(input string, max int64) ([]byte, string, error) {
	rel, dir, base, err := l.split(input)
	if err != nil {
		return nil, "", err
	}
	d, err := OpenDirNoLinks(l.w.root, dir, false, 0)
	if err != nil {
		return nil, "", l.w.linkFreeError(err, input)
	}
	defer d.Close()
	fi, err := d.Lstat(base)
	if err != nil {
		return nil, "", l.w.linkFreeError(err, input)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, "", linkRefusal(rel)
	}
	f, err := d.OpenFile(base, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, "", l.w.linkFreeError(err, input)
	}
	defer f.Close()
	now, err := f.Stat()
	if err != nil {
		return nil, "", l.w.osError(err, input)
	}
	if !os.SameFile(fi, now) {
		return nil, "", linkRefusal(rel)
	}
	if !now.Mode().IsRegular() {
		return nil, "", refuse(RuleNotFile, input, "")
	}
	if err := refuseHardLinked(f, now, input); err != nil {
		return nil, "", err
	}
	if now.Size() > max {
		return nil, "", refuse(RuleTooLarge, input, "%d bytes; limit %d bytes", now.Size(), max)
	}
	data, err := readAtMost(f, now.Size(), max)
	if err != nil {
		return nil, "", l.w.osError(err, input)
	}
	if int64(len(data)) > max {
		return nil, "", refuse(RuleTooLarge, input, "grew past the limit of %d bytes while reading", max)
	}
	if LooksBinary(data) {
		return nil, "", refuse(RuleBinary, input, "")
	}
	return data, rel, nil
}

func (w *Workspace) linkFreeError(err error, input string) error {
	var r *Refusal
	if errors.As(err, &r) {
		return err
	}
	return w.osError(err, input)
}
