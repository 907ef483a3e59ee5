package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// maxSymlinkHops bounds symlink chains, as the kernel does (ELOOP).
const maxSymlinkHops = 40

// Workspace is one directory opened for tool calls. Every access goes through
// an os.Root, so the kernel refuses escapes even if a path changes mid-call;
// on top of that the guard resolves symlinks itself to apply the blocked
// globs to where a link really points.
type Workspace struct {
	ID   string
	Root string // real absolute path

	root    *os.Root
	kroot   string // the kernel's name for Root, what kernelPath answers in terms of
	blocked *Blocklist
	limits  Limits
	locks   *lockTable
}

func open(real string, blocked *Blocklist, limits Limits) (*Workspace, error) {
	r, err := os.OpenRoot(real)
	if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", real, err)
	}
	return &Workspace{ID: ID(real), Root: real, root: r, kroot: kernelRoot(r, real), blocked: blocked, limits: limits, locks: newLockTable()}, nil
}

// Close releases the root handle.
func (w *Workspace) Close() { _ = w.root.Close() }

// Limits returns the read limits this workspace was opened with.
func (w *Workspace) Limits() Limits { return w.limits }

// Blocked reports the glob that blocks a workspace-relative path.
func (w *Workspace) Blocked(rel string) (string, bool) { return w.blocked.Match(rel) }

// Blocklist returns the compiled blocked globs.
func (w *Workspace) Blocklist() *Blocklist { return w.blocked }

// Resolve turns a tool's path argument into a workspace-relative path with no
// symlinks in it, or refuses it. It does not open anything.
func (w *Workspace) Resolve(input string) (string, error) {
	rel, err := w.lexical(input)
	if err != nil {
		return "", err
	}
	if err := w.checkBlocked(rel, input, ""); err != nil {
		return "", err
	}
	return w.follow(input, rel)
}

// lexical cleans input into a slash-separated relative path ("." for the
// root). Only an exact ".." segment escapes: "..data" is an ordinary name.
func (w *Workspace) lexical(input string) (string, error) {
	if strings.ContainsRune(input, 0) {
		return "", refuse(RuleInvalidPath, strings.ReplaceAll(input, "\x00", `\0`), "path contains a NUL byte")
	}
	if input == "" {
		return ".", nil
	}
	if strings.HasPrefix(input, "~") {
		return "", refuse(RuleEscape, input, "home-relative paths are outside the workspace")
	}
	if windowsVolume(input) {
		long, ok := longPathForm(input)
		if runtime.GOOS != "windows" || !ok || !filepath.IsAbs(long) {
			return "", refuse(RuleEscape, input, "a drive letter, UNC or device path is outside the workspace; use a path relative to the workspace root")
		}
		input = long
	}
	if filepath.IsAbs(input) {
		abs := filepath.Clean(input)
		if !within(w.Root, abs) {
			return "", refuse(RuleEscape, input, "")
		}
		rel, _ := filepath.Rel(w.Root, abs)
		rel = filepath.ToSlash(rel)
		return rel, windowsNames(input, rel)
	}
	rel := path.Clean(filepath.ToSlash(input))
	if rel == ".." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
		return "", refuse(RuleEscape, input, "")
	}
	return rel, windowsNames(input, rel)
}

func (w *Workspace) checkBlocked(rel, input, via string) error {
	g, ok := w.blocked.Match(rel)
	if !ok {
		return nil
	}
	detail := fmt.Sprintf("matches blocked glob %q", g)
	if via != "" {
		detail = fmt.Sprintf("symlink %s points to %s, which matches blocked glob %q", via, rel, g)
	}
	return refuse(RuleBlocked, input, "%s", detail)
}

// follow walks rel one segment at a time and replaces each symlink by its
// target, refusing targets outside the root or blocked. Missing segments end
// the walk: the rest is returned as written (a file about to be created).
func (w *Workspace) follow(input, rel string) (string, error) {
	todo := segments(rel)
	done := ""
	for hops := 0; len(todo) > 0; {
		cur := path.Join(done, todo[0])
		todo = todo[1:]
		fi, err := w.root.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return path.Join(append([]string{cur}, todo...)...), nil
		}
		if err != nil {
			return "", w.osError(err, input)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = cur
			continue
		}
		if hops++; hops > maxSymlinkHops {
			return "", refuse(RuleInvalidPath, input, "too many levels of symlinks")
		}
		next, err := w.linkTarget(cur, input)
		if err != nil {
			return "", err
		}
		if err := w.checkBlocked(next, input, cur); err != nil {
			return "", err
		}
		todo = append(segments(next), todo...)
		done = ""
	}
	if done == "" {
		return ".", nil
	}
	return done, nil
}

// linkTarget reads the symlink at cur and returns its target relative to the
// root. Absolute targets are allowed when they point inside the root.
func (w *Workspace) linkTarget(cur, input string) (string, error) {
	target, err := w.root.Readlink(cur)
	if errors.Is(err, syscall.EINVAL) {
		// Lstat saw a symlink, Readlink no longer does: swapped mid-call.
		return "", refuse(RuleInvalidPath, input, "%s changed while the path was being resolved", cur)
	}
	if err != nil {
		return "", w.osError(err, input)
	}
	var next string
	if filepath.IsAbs(target) {
		abs := filepath.Clean(target)
		if !within(w.Root, abs) {
			return "", refuse(RuleSymlinkEscape, input, "symlink %s points outside the workspace", cur)
		}
		r, _ := filepath.Rel(w.Root, abs)
		next = filepath.ToSlash(r)
	} else {
		next = path.Join(path.Dir(cur), filepath.ToSlash(target))
	}
	if next == ".." || strings.HasPrefix(next, "../") {
		return "", refuse(RuleSymlinkEscape, input, "symlink %s points outside the workspace", cur)
	}
	return next, nil
}

func segments(rel string) []string {
	if rel == "." || rel == "" {
		return nil
	}
	return strings.Split(rel, "/")
}

// osError maps os.Root errors to refusals where the cause is known, and keeps
// the absolute root out of messages the model sees.
func (w *Workspace) osError(err error, input string) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return refuse(RuleNotFound, input, "")
	case strings.Contains(err.Error(), "path escapes from parent"):
		return refuse(RuleSymlinkEscape, input, "")
	case errors.Is(err, syscall.ENOTDIR):
		return refuse(RuleNotDir, input, "a parent in the path is not a directory")
	case errors.Is(err, syscall.ENAMETOOLONG):
		return refuse(RuleInvalidPath, input, "file name too long")
	case errors.Is(err, syscall.ELOOP):
		return refuse(RuleInvalidPath, input, "too many levels of symlinks")
	}
	msg := strings.ReplaceAll(err.Error(), w.Root+string(filepath.Separator), "")
	return fmt.Errorf("%s: %s", input, msg)
}
