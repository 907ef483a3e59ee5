package bashpolicy

import (
	"os"
	"path/filepath"
	"strings"

	"codexpro.dev/pkg/gitx"
)

// Safe-mode git is guarded by construction, not by pathspecs: every
// subcommand has an allow-list of options whose output layout the filter in
// pkg/gitx can read, an unknown option is refused by name, and the decided
// step carries a gitx.Output that tells mcpd how to filter what git
// prints, file by file, before anything is returned. Pathspecs (the
// blocked globs as excludes) stay only to keep git out of blocked trees.

// gitSubcommands are the read-only subcommands safe mode allows.
func gitSubcommands() map[string]rule {
	return map[string]rule{
		"status":    gitStatus,
		"diff":      gitHistory("diff"),
		"log":       gitHistory("log"),
		"show":      gitHistory("show"),
		"ls-files":  gitLsFiles,
		"branch":    gitBranch,
		"rev-parse": gitRevParse,
		"blame":     gitBlame,
	}
}

const gitAllowed = "status, diff, log, show, branch, rev-parse, ls-files, blame"

// gitPrefix is every safe-mode git argv's start: no pager, and the -c list
// that turns off what the repository's config could run and pins the
// output layout the filter reads.
func gitPrefix(sub string) []string {
	return append(append([]string{"git", "--no-pager"}, gitx.SafeConfig()...), sub)
}

func gitRule(c *checker, args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, refuse("git", "git needs a read-only subcommand (%s)", gitAllowed)
	}
	sub := args[0]
	if strings.HasPrefix(sub, "-") {
		return nil, refuse(joinCmd("git", args), "git options before the subcommand (-c, -C, --git-dir, --work-tree, --exec-path, ...) are not allowed")
	}
	r, ok := gitSubcommands()[sub]
	if !ok {
		return nil, refuse(joinCmd("git", args), "git %s is not allowed: safe mode runs only read-only git (%s)", sub, gitAllowed)
	}
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if why, bad := gitRefusedOption(a); bad {
			return nil, refuse(a, "git %s %s %s", sub, a, why)
		}
	}
	return r(c, args[1:])
}

// gitRefusedOption gives the specific reason for options that would be
// refused anyway as outside every allow-list, so the message says what is
// dangerous about them. Git accepts any unambiguous prefix of a long option
// (--out for --output), so prefixes are named too.
func gitRefusedOption(a string) (string, bool) {
	reasons := []struct {
		why   string
		names []string
	}{
		{"writes a file", []string{"output", "output-directory"}},
		{"runs an external diff or filter program", []string{"ext-diff", "textconv"}},
		{"compares files outside the repository", []string{"no-index"}},
		{"runs a program", []string{"exec", "upload-pack", "receive-pack"}},
		{"opens a pager", []string{"open-files-in-pager"}},
		{"verifies signatures by running gpg", []string{"show-signature"}},
	}
	for _, r := range reasons {
		if longAbbrev(a, r.names...) {
			return r.why, true
		}
	}
	return "", false
}

// gitUnknown is the refusal for an option outside a subcommand's allow-list.
func gitUnknown(sub, a string) error {
	return refuse(a, "git %s option %s is not allowed in safe mode: only options whose output can be checked file by file are (see docs/bash.md)", sub, a)
}

// gitArgs is what one git command line was split into.
type gitArgs struct {
	opts, revs, specs []string
}

// split separates options (each checked by allow, which may consume a
// value), revisions and paths. A word that names an existing file is a
// path, as git itself decides; everything after "--" is a path.
func (c *checker) gitSplit(sub string, args []string, allow func(a string, next *string) (tok string, consumed bool, err error)) (gitArgs, error) {
	var g gitArgs
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			for _, p := range args[i+1:] {
				if err := c.gitPathspec(p); err != nil {
					return g, err
				}
				g.specs = append(g.specs, p)
			}
			return g, nil
		case strings.HasPrefix(a, "-") && a != "-":
			var next *string
			if i+1 < len(args) {
				next = &args[i+1]
			}
			tok, consumed, err := allow(a, next)
			if err != nil {
				return g, err
			}
			if err := c.checkWord(a); err != nil {
				return g, err
			}
			g.opts = append(g.opts, tok)
			if consumed {
				i++
				if err := c.checkWord(args[i]); err != nil {
					return g, err
				}
				g.opts = append(g.opts, args[i])
			}
		case c.exists(a) || sub == "status" || sub == "ls-files":
			if err := c.gitPathspec(a); err != nil {
				return g, err
			}
			g.specs = append(g.specs, a)
		default:
			g.revs = append(g.revs, a)
		}
	}
	return g, nil
}

// gitFinish assembles prefix, forced options (after the user's, so they win),
// revisions and pathspecs, with the blocked globs as exclude pathspecs.
func (c *checker) gitFinish(sub string, g gitArgs, forced []string, out gitx.Output) []string {
	argv := gitPrefix(sub)
	argv = append(append(append(argv, g.opts...), forced...), g.revs...)
	specs := g.specs
	if len(specs) == 0 {
		specs = []string{"."}
	}
	argv = append(append(argv, "--"), specs...)
	out.Cwd = c.cwd
	c.git = &out
	return append(argv, c.gitExcludes()...)
}

func (c *checker) gitExcludes() []string {
	out := make([]string, 0, len(c.policy.Blocked))
	for _, g := range c.policy.Blocked {
		out = append(out, ":(exclude,glob,icase)"+g)
	}
	return out
}

// gitPathspec refuses pathspec magic (":(top)x", ":/x" reach the repository
// top, which may be outside the workspace) and checks the path.
func (c *checker) gitPathspec(p string) error {
	if strings.HasPrefix(p, ":") {
		return refuse(p, "git pathspec magic is not allowed (it can reach past the workspace to the repository top)")
	}
	return c.checkWord(p)
}

// exists reports whether a names an existing file below cwd, which is how
// git itself tells a path from a revision.
func (c *checker) exists(a string) bool {
	if c.policy.Root == "" || strings.Contains(a, ":") {
		return false
	}
	_, err := os.Lstat(filepath.Join(c.policy.Root, filepath.FromSlash(c.cwd), a))
	return err == nil
}

// gitRevision checks a revision argument. REV:path names a blob or tree:
// the path is checked and made explicit ("./path", resolved from cwd as it
// was checked; "REV:" alone becomes "REV:./", the workspace's own tree, not
// the repository top's). A plain revision is peeled to a commit, so a blob
// id of a blocked file cannot be printed.
func (c *checker) gitRevision(a string) (rev string, object bool, err error) {
	if r, p, ok := splitObjectSpec(a); ok {
		if err := c.checkPath(a, p); err != nil {
			return "", false, err
		}
		if !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") {
			p = "./" + p
		}
		return r + ":" + p, true, nil
	}
	if err := c.checkWord(a); err != nil {
		return "", false, err
	}
	return peel(a), false, nil
}

// splitObjectSpec splits REV:path, :path and :N:path. ":/text" (a commit
// message search) is reported as a spec whose path is "/text", which the
// guard refuses as absolute.
func splitObjectSpec(a string) (rev, p string, ok bool) {
	i := strings.IndexByte(a, ':')
	if i < 0 {
		return "", "", false
	}
	rev, p = a[:i], a[i+1:]
	if rev == "" && len(p) >= 2 && p[0] >= '0' && p[0] <= '3' && p[1] == ':' {
		return ":" + p[:1], p[2:], true
	}
	return rev, p, true
}

// peel appends ^{commit} to each side of a revision or range.
func peel(rev string) string {
	for _, sep := range []string{"...", ".."} {
		if l, r, ok := strings.Cut(rev, sep); ok {
			return peelOne(l) + sep + peelOne(r)
		}
	}
	return peelOne(rev)
}

func peelOne(rev string) string {
	if rev == "" {
		return ""
	}
	if strings.HasPrefix(rev, "^") {
		return "^" + peelOne(rev[1:])
	}
	return rev + "^{commit}"
}

// gitBranch allows listing only: no creating, deleting, renaming, copying,
// forcing or upstream changes. Branch names are not file names, so the
// output is only redacted.
func gitBranch(c *checker, args []string) ([]string, error) {
	list := false
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-l" || a == "--list":
			list = true
		case strings.HasPrefix(a, "--"):
			switch optName(a) {
			case "all", "remotes", "verbose", "show-current", "no-color", "no-column",
				"ignore-case", "abbrev", "no-abbrev", "sort", "omit-empty":
			case "contains", "no-contains", "merged", "no-merged", "points-at":
				if !strings.Contains(a, "=") && i+1 < len(args) {
					out = append(out, a)
					i++
					a = args[i]
				}
			default:
				return nil, refuse(joinCmd("git branch", args), "git branch may only list branches (%s changes refs or config, or formats output safe mode cannot check)", a)
			}
		case strings.HasPrefix(a, "-"):
			for _, l := range a[1:] {
				if !strings.ContainsRune("arvli", l) {
					return nil, refuse(joinCmd("git branch", args), "git branch may only list branches (-%c changes refs or config)", l)
				}
				if l == 'l' {
					list = true
				}
			}
		default:
			if !list {
				return nil, refuse(joinCmd("git branch", args), "git branch NAME creates a branch; use --list PATTERN to filter")
			}
		}
		if err := c.checkWord(a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	c.git = &gitx.Output{Kind: gitx.OutPlain, Cwd: c.cwd}
	return append(gitPrefix("branch"), out...), nil
}

// gitRevParse allows the options that print revisions, names of refs and
// yes/no answers; the ones that print paths of the repository (which may
// lie outside the workspace) or run anything are refused.
func gitRevParse(c *checker, args []string) ([]string, error) {
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			switch optName(a) {
			case "abbrev-ref", "short", "verify", "q", "quiet", "symbolic", "symbolic-full-name",
				"is-inside-work-tree", "is-inside-git-dir", "is-bare-repository", "is-shallow-repository",
				"show-prefix", "show-cdup", "all", "branches", "tags", "remotes", "default", "revs-only",
				"no-revs", "flags", "no-flags", "not":
			default:
				return nil, gitUnknown("rev-parse", a)
			}
			continue
		}
		if _, p, ok := splitObjectSpec(a); ok {
			if err := c.checkPath(a, p); err != nil {
				return nil, err
			}
			continue
		}
		if err := c.checkWord(a); err != nil {
			return nil, err
		}
	}
	c.git = &gitx.Output{Kind: gitx.OutPlain, Cwd: c.cwd}
	return append(gitPrefix("rev-parse"), args...), nil
}
