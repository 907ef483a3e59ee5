// Package skills finds agent skills (folders holding a SKILL.md) in a
// workspace and in the user's Codex and agents folders, in the precedence
// order Codex uses: workspace, then user, then plugin folders.
//
// It guarantees: workspace skills are walked through the workspace guard, so
// a skill folder or SKILL.md linked out of the workspace or onto a blocked
// path is refused; host skill folders are followed through symlinks but
// never onto a blocked path (a folder linked to ~/.ssh is skipped); a
// SKILL.md must resolve to a regular file itself named SKILL.md; symlink
// cycles end; discovery reads at most the first 16,000 bytes of each file
// and stops at the caller's limit. Problems become warnings, never failures.
// Open checks the chosen file again at read time.
package skills

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"codexpro.dev/pkg/workspace"
)

// Skill is one SKILL.md found on disk. Path is what the model sees
// ($WORKSPACE/…, ~/… or absolute); file is where it is read from.
type Skill struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Source      string `json:"source"`
	Path        string `json:"path"`

	file string // workspace-relative (source workspace) or absolute real path
	rank int    // position of its root in the precedence order
}

const (
	skillFile         = "SKILL.md"
	skillHeadBytes    = 16_000
	defaultSkillDepth = 3
	pluginSkillDepth  = 9
	// MaxAllowed is the most skills one discovery may list.
	MaxAllowed = 500
	// DefaultLimit is how many skills a workspace summary lists.
	DefaultLimit = 120
)

// Dirs are the host folders searched besides the workspace; an empty one
// is skipped.
type Dirs struct {
	CodexDir string // Codex home (~/.codex): user skills and plugin skills
	UserHome string // the user's home: ~/.agents/skills
}

// skillRoot is one folder searched for skills, in precedence order.
type skillRoot struct {
	source, dir string // dir: workspace-relative for "workspace", else absolute
	depth       int
}

func skillRoots(d Dirs, global bool) []skillRoot {
	roots := []skillRoot{
		{"workspace", ".codex/skills", defaultSkillDepth},
		{"workspace", ".agents/skills", defaultSkillDepth},
		{"workspace", "skills", defaultSkillDepth},
	}
	if !global {
		return roots
	}
	if d.CodexDir != "" {
		roots = append(roots, skillRoot{"user", filepath.Join(d.CodexDir, "skills"), defaultSkillDepth})
	}
	if d.UserHome != "" {
		roots = append(roots, skillRoot{"user", filepath.Join(d.UserHome, ".agents", "skills"), defaultSkillDepth})
	}
	if d.CodexDir != "" {
		roots = append(roots, skillRoot{"plugin", filepath.Join(d.CodexDir, "plugins", "cache"), pluginSkillDepth})
	}
	return roots
}

// Discover lists every skill in precedence order (workspace, then
// user, then plugin folders), at most max records, duplicates included.
// Symlinked folders are followed; each target is checked: a workspace
// skill must resolve inside the workspace, a host skill must not land on a
// blocked path. Problems are returned as warnings, never as failures.
func Discover(w *workspace.Workspace, d Dirs, global bool, max int) (skills []Skill, warnings []string) {
	for i, r := range skillRoots(d, global) {
		var t skillTree
		if r.source == "workspace" {
			t = wsSkillTree{w}
		} else {
			t = hostSkillTree{home: d.UserHome, blocked: w.Blocklist()}
		}
		walk := skillWalk{tree: t, max: max - len(skills), seen: map[string]bool{}}
		walk.dir(r.dir, r.depth)
		for _, f := range walk.files {
			s := readSkillHead(t, f)
			s.Source, s.Path, s.file, s.rank = r.source, t.display(f, w.Root), f, i
			skills = append(skills, s)
		}
		warnings = append(warnings, walk.warnings...)
		if len(skills) >= max {
			warnings = append(warnings, "Skill discovery stopped at max_skills.")
			break
		}
	}
	return skills, warnings
}

// Active keeps the first skill of each name: Discover lists them in
// precedence order, so that is the winner.
func Active(all []Skill) []Skill {
	seen := map[string]bool{}
	var out []Skill
	for _, s := range all {
		if !seen[s.Name] {
			seen[s.Name] = true
			out = append(out, s)
		}
	}
	return out
}

// skillTree is a folder tree skills are found in: the workspace (through
// the guard) or the user's disk.
type skillTree interface {
	list(dir string) ([]fs.DirEntry, error)
	// real resolves p through symlinks and refuses a target outside what the
	// tree allows; it returns the real path and whether it is a directory.
	real(p string) (string, bool, error)
	join(dir, name string) string
	open(p string) (io.ReadCloser, error)
	display(p, wsRoot string) string
}

type skillWalk struct {
	tree     skillTree
	max      int
	seen     map[string]bool // real directories visited: symlink cycles end here
	files    []string
	warnings []string
}

func (k *skillWalk) dir(dir string, depth int) {
	real, isDir, err := k.tree.real(dir)
	if err != nil || !isDir || k.seen[real] {
		if err != nil && !errors.Is(err, fs.ErrNotExist) && workspace.RuleOf(err) != workspace.RuleNotFound {
			k.warnings = append(k.warnings, "Skipped skill folder: "+err.Error())
		}
		return
	}
	k.seen[real] = true
	entries, err := k.tree.list(dir)
	if err != nil {
		return
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, ent := range entries {
		if len(k.files) >= k.max {
			return
		}
		name := ent.Name()
		p := k.tree.join(dir, name)
		switch {
		case name == "node_modules" || name == ".git" || workspace.IsTempName(name):
		case name == skillFile:
			k.file(p)
		case ent.IsDir() || ent.Type()&fs.ModeSymlink != 0:
			if depth > 1 {
				k.dir(p, depth-1)
			}
		}
	}
}

// file accepts a SKILL.md only if it resolves to a regular file that is
// itself named SKILL.md: a link named SKILL.md to a key file is refused.
func (k *skillWalk) file(p string) {
	real, isDir, err := k.tree.real(p)
	if err != nil {
		k.warnings = append(k.warnings, "Skipped skill file: "+err.Error())
		return
	}
	if isDir || path.Base(filepath.ToSlash(real)) != skillFile {
		k.warnings = append(k.warnings, "Skipped "+p+": it does not resolve to a file named SKILL.md.")
		return
	}
	k.files = append(k.files, p)
}

// readSkillHead reads name and description from the first 16,000 bytes.
func readSkillHead(t skillTree, p string) Skill {
	s := Skill{Name: path.Base(path.Dir(filepath.ToSlash(p)))}
	f, err := t.open(p)
	if err != nil {
		return s
	}
	defer f.Close()
	head, _ := io.ReadAll(io.LimitReader(f, skillHeadBytes))
	sc := bufio.NewScanner(bytes.NewReader(head))
	named := false
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "name:"); ok && !named {
			if v = unquote(v); v != "" {
				s.Name, named = v, true
			}
		} else if v, ok := strings.CutPrefix(line, "description:"); ok && s.Description == "" {
			s.Description = unquote(v)
		}
	}
	return s
}

func unquote(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	return strings.TrimSpace(v)
}

// wsSkillTree walks workspace skill folders through the guard: a symlink
// out of the workspace or onto a blocked path is refused by Resolve.
type wsSkillTree struct{ w *workspace.Workspace }

func (t wsSkillTree) list(dir string) ([]fs.DirEntry, error) {
	return fs.ReadDir(t.w.FS(), dir)
}

func (t wsSkillTree) real(p string) (string, bool, error) {
	rel, err := t.w.Resolve(p)
	if err != nil {
		return "", false, err
	}
	fi, _, err := t.w.Stat(rel)
	if err != nil {
		return "", false, err
	}
	return rel, fi.IsDir(), nil
}

func (t wsSkillTree) join(dir, name string) string { return path.Join(dir, name) }

func (t wsSkillTree) open(p string) (io.ReadCloser, error) {
	f, _, err := t.w.OpenRegular(p)
	return f, err
}

func (t wsSkillTree) display(p, _ string) string { return "$WORKSPACE/" + p }

// hostSkillTree walks the user's and plugin skill folders. Symlinked
// folders are followed wherever they point, but never onto a blocked path
// (a skill folder linked to ~/.ssh is skipped).
type hostSkillTree struct {
	home    string
	blocked *workspace.Blocklist
}

func (t hostSkillTree) list(dir string) ([]fs.DirEntry, error) { return os.ReadDir(dir) }

func (t hostSkillTree) real(p string) (string, bool, error) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", false, err
	}
	if g, bad := t.blocked.Match(t.relToHome(real)); bad {
		return "", false, &workspace.Refusal{Rule: workspace.RuleBlocked, Path: t.display(p, ""), Detail: "resolves to a path matching blocked glob " + g}
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", false, err
	}
	if !fi.IsDir() && !fi.Mode().IsRegular() {
		return "", false, &workspace.Refusal{Rule: workspace.RuleNotFile, Path: t.display(p, "")}
	}
	return real, fi.IsDir(), nil
}

// relToHome makes blocklist matching see ".ssh/…" under the home folder
// rather than the segments of the home path itself.
func (t hostSkillTree) relToHome(real string) string {
	if t.home != "" {
		if rel, err := filepath.Rel(t.home, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(strings.TrimPrefix(real, string(filepath.Separator)))
}

func (t hostSkillTree) join(dir, name string) string { return filepath.Join(dir, name) }

func (t hostSkillTree) open(p string) (io.ReadCloser, error) {
	real, isDir, err := t.real(p)
	if err != nil {
		return nil, err
	}
	if isDir {
		return nil, &workspace.Refusal{Rule: workspace.RuleNotFile, Path: t.display(p, "")}
	}
	return os.Open(real)
}

func (t hostSkillTree) display(p, _ string) string {
	if t.home != "" {
		if rel, err := filepath.Rel(t.home, p); err == nil && !strings.HasPrefix(rel, "..") {
			return "~/" + filepath.ToSlash(rel)
		}
	}
	return p
}

// Open re-resolves a discovered skill at read time, so a link swapped in
// after discovery is checked again, and opens it. d must be the Dirs it was
// discovered with.
func Open(w *workspace.Workspace, d Dirs, s Skill) (io.ReadCloser, error) {
	var t skillTree = hostSkillTree{home: d.UserHome, blocked: w.Blocklist()}
	if s.Source == "workspace" {
		t = wsSkillTree{w}
	}
	real, isDir, err := t.real(s.file)
	if err != nil {
		if s.Source == "workspace" {
			return nil, fmt.Errorf("Refusing to load workspace skill outside workspace: %s (%v)", s.Path, err)
		}
		return nil, err
	}
	if isDir || path.Base(filepath.ToSlash(real)) != skillFile {
		return nil, fmt.Errorf("Refusing to load non-skill file: %s", s.Path)
	}
	return t.open(s.file)
}
