package bashpolicy

import (
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"codexpro.dev/pkg/gitx"
)

// arg is one expanded argument. globbed marks a glob match: it names a
// file by construction and is path-checked whatever the command.
type arg struct {
	val     string
	globbed bool
}

type checker struct {
	policy Policy
	cwd    string       // workspace-relative, cleaned
	git    *gitx.Output // set by a git rule: how to filter that step's output
}

// expandWords turns the words of a simple command into arguments. Only
// literals and quotes are accepted; every kind of expansion the shell would
// do at run time (parameters, commands, arithmetic, processes, tilde,
// braces) is refused, and globs are expanded here, inside the workspace.
func (c *checker) expandWords(words []*syntax.Word) ([]arg, error) {
	var out []arg
	for _, w := range words {
		if err := staticWord(w); err != nil {
			return nil, err
		}
		fields, err := expand.Fields(c.expandConfig(), w)
		if err != nil {
			return nil, refuse(wordText(w), "the word cannot be expanded in safe mode")
		}
		glob := hasUnquotedGlob(w)
		for _, f := range fields {
			out = append(out, arg{val: f, globbed: glob})
		}
		if len(out) > maxFields {
			return nil, refuse(wordText(w), "expands to more than %d arguments", maxFields)
		}
	}
	return out, nil
}

func (c *checker) expandConfig() *expand.Config {
	return &expand.Config{
		Env:      expand.ListEnviron("PWD=" + filepath.Join(c.policy.Root, filepath.FromSlash(c.cwd))),
		ReadDir2: c.globDir,
	}
}

// globDir lists a directory for glob expansion through the workspace guard:
// a directory outside the workspace, behind a symlink that leaves it, or
// blocked lists as empty, and blocked entries are left out. A glob thus
// matches only names the model could list itself, so neither its result
// nor a refusal of it can name anything else; an unmatched glob stays the
// literal word the model typed.
func (c *checker) globDir(dir string) ([]fs.DirEntry, error) {
	root := c.policy.Root
	if root == "" || c.policy.Paths == nil || !within(root, dir) {
		return nil, nil
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return nil, nil
	}
	entries, resolved, err := c.policy.Paths.ReadDir(filepath.ToSlash(rel))
	if err != nil {
		return nil, nil
	}
	out := entries[:0]
	for _, e := range entries {
		if _, blocked := c.policy.Paths.Blocked(path.Join(resolved, e.Name())); !blocked {
			out = append(out, e)
		}
	}
	return out, nil
}

// staticWord refuses word parts whose value is only known at run time.
func staticWord(w *syntax.Word) error {
	text := wordText(w)
	if lit, ok := firstLit(w); ok && strings.HasPrefix(lit, "~") {
		return refuse(text, "tilde expansion is not allowed: home directories are outside the workspace")
	}
	braces := *w
	if syntax.SplitBraces(&braces) && hasBraceExp(braces.Parts) {
		return refuse(text, "brace expansion is not allowed")
	}
	return staticParts(text, w.Parts)
}

func staticParts(text string, parts []syntax.WordPart) error {
	for _, part := range parts {
		switch p := part.(type) {
		case *syntax.Lit:
		case *syntax.SglQuoted:
			if p.Dollar {
				return refuse(text, "ANSI-C quoting ($'...') is not allowed")
			}
		case *syntax.DblQuoted:
			if p.Dollar {
				return refuse(text, "locale quoting ($\"...\") is not allowed")
			}
			if err := staticParts(text, p.Parts); err != nil {
				return err
			}
		case *syntax.ParamExp:
			return refuse(text, "parameter expansion ($VAR, ${...}) is not allowed")
		case *syntax.CmdSubst:
			return refuse(text, "command substitution ($(...) or backticks) is not allowed")
		case *syntax.ArithmExp:
			return refuse(text, "arithmetic expansion ($((...))) is not allowed")
		case *syntax.ProcSubst:
			return refuse(text, "process substitution (<(...) or >(...)) is not allowed")
		case *syntax.ExtGlob:
			return refuse(text, "extended globs are not allowed")
		default:
			return refuse(text, "this kind of word is not allowed")
		}
	}
	return nil
}

func hasBraceExp(parts []syntax.WordPart) bool {
	for _, part := range parts {
		if _, ok := part.(*syntax.BraceExp); ok {
			return true
		}
	}
	return false
}

func firstLit(w *syntax.Word) (string, bool) {
	if len(w.Parts) == 0 {
		return "", false
	}
	lit, ok := w.Parts[0].(*syntax.Lit)
	if !ok {
		return "", false
	}
	return lit.Value, true
}

func hasUnquotedGlob(w *syntax.Word) bool {
	for _, part := range w.Parts {
		if lit, ok := part.(*syntax.Lit); ok && strings.ContainsAny(lit.Value, "*?[") {
			return true
		}
	}
	return false
}

func wordText(w *syntax.Word) string {
	var sb strings.Builder
	if err := syntax.NewPrinter().Print(&sb, w); err != nil {
		return w.Lit()
	}
	return sb.String()
}

// checkPath resolves one candidate through the guard, relative to cwd.
func (c *checker) checkPath(word, candidate string) error {
	if candidate == "" {
		return nil
	}
	if strings.HasPrefix(candidate, "~") {
		return refuse(word, "%q is a home-directory reference: home directories are outside the workspace", candidate)
	}
	if innerDotDot(candidate) {
		return refuse(word, "%q has '..' after a directory name, which could leave the workspace through a symlink: write the path without it", candidate)
	}
	if c.policy.Paths == nil {
		return refuse(word, "no workspace guard is configured")
	}
	target := candidate
	if !filepath.IsAbs(candidate) {
		target = path.Join(c.cwd, filepath.ToSlash(candidate))
	}
	if _, err := c.policy.Paths.Resolve(target); err != nil {
		return refuse(word, "path %q: %v", candidate, err)
	}
	return nil
}

// innerDotDot reports a ".." segment that follows a named segment. The
// kernel resolves "link/.." physically, so lexical cleaning would hide an
// escape through a symlink; leading ".." segments are resolved from the
// real cwd and are checked by the guard.
func innerDotDot(p string) bool {
	named := false
	for _, seg := range strings.Split(filepath.ToSlash(p), "/") {
		switch seg {
		case "..":
			if named {
				return true
			}
		case "", ".":
		default:
			named = true
		}
	}
	return false
}

// pathCandidates lists every reading of word that could name a file: the
// word itself, the value after '=' (--flag=x, VAR=x), the tail of an
// attached short option (-I../x), and each ':'-separated piece of those
// (git REV:path, search-path lists).
func pathCandidates(word string) []string {
	var base []string
	switch {
	case strings.HasPrefix(word, "-"):
		if _, v, ok := strings.Cut(word, "="); ok {
			base = append(base, v)
		} else if !strings.HasPrefix(word, "--") && len(word) > 2 {
			base = append(base, word[2:])
		}
	default:
		base = append(base, word)
		if _, v, ok := strings.Cut(word, "="); ok {
			base = append(base, v)
		}
	}
	out := base
	for _, b := range base {
		if strings.Contains(b, ":") {
			out = append(out, strings.Split(b, ":")...)
		}
	}
	return out
}

// checkWord path-checks every candidate reading of word.
func (c *checker) checkWord(word string) error {
	for _, cand := range pathCandidates(word) {
		if err := c.checkPath(word, cand); err != nil {
			return err
		}
	}
	return nil
}

// checkArgs path-checks every argument.
func (c *checker) checkArgs(args []string) error {
	for _, a := range args {
		if err := c.checkWord(a); err != nil {
			return err
		}
	}
	return nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
