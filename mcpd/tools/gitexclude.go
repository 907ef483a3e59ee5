package tools

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/workspace"
)

// excludeContextDir keeps the context directory out of `git status` by a
// line in .git/info/exclude (local to this clone, never the user's
// .gitignore), the first time mcpd is about to create the directory: a
// directory that already exists may be tracked on purpose.
//
// Only a plain .git directory inside the root is touched, through os.Root
// and without following a symlink at .git, info or exclude: a hostile
// repository must not turn this into a write elsewhere. Linked worktrees
// (.git is a file) are left alone.
func excludeContextDir(root, ctxDir string) error {
	if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(ctxDir))); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if fi, err := os.Lstat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		return nil
	}
	git, err := os.OpenRoot(filepath.Join(root, ".git"))
	if err != nil {
		return err
	}
	defer git.Close()
	if fi, err := git.Lstat("info"); errors.Is(err, fs.ErrNotExist) {
		if err := git.Mkdir("info", 0o755); err != nil {
			return err
		}
	} else if err != nil || !fi.IsDir() {
		return nil
	}
	if fi, err := git.Lstat("info/exclude"); err == nil && (!fi.Mode().IsRegular() || fi.Size() > 1<<20) {
		return nil
	}
	line := "/" + strings.Trim(ctxDir, "/") + "/"
	old, err := git.ReadFile("info/exclude")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	sc := bufio.NewScanner(strings.NewReader(string(old)))
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t == line || t == strings.TrimSuffix(line, "/") || t == strings.TrimPrefix(line, "/") {
			return nil
		}
	}
	data := string(old)
	if data != "" && !strings.HasSuffix(data, "\n") {
		data += "\n"
	}
	data += fmt.Sprintf("# CodexPro handoff files (added by mcpd)\n%s\n", line)
	info, err := git.OpenRoot("info")
	if err != nil {
		return err
	}
	defer info.Close()
	return workspace.ReplaceFile(info, "exclude", []byte(data), 0o644)
}

// contextDir is the workspace's context directory behind its link-free
// guard, kept out of git status when mcpd creates it.
func contextDir(e *toolkit.Env, root string, fsys bridge.ReadWriter) bridge.Dir {
	if err := excludeContextDir(root, e.Cfg.ContextDir); err != nil {
		e.Log.Warn().Err(err).Str("root", root).Msg("could not add the context directory to .git/info/exclude")
	}
	return bridge.Dir{Context: e.Cfg.ContextDir, FS: fsys}
}
