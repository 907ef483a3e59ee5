package bashpolicy

import (
	"os"
	"path/filepath"
	"strings"
)

// gitSubcommands are the read-only subcommands safe mode allows.
func gitSubcommands() map[string]rule {
	return map[string]rule{
		"status":    gitContent("status"),
		"diff":      gitContent("diff"),
		"log":       gitContent("log"),
		"show":      gitContent("show"),
		"ls-files":  gitContent("ls-files"),
		"branch":    gitBranch,
		"rev-parse": gitRevParse,
		"blame":     gitBlame,
	}
}

// gitPrefix disables what a repository's own config could make git run:
// an fsmonitor hook, external diff drivers and textconv filters are turned
// off, and the pager is never used.
func gitPrefix(sub string) []string {
	return []string{"git", "--no-pager", "-c", "core.fsmonitor=false", sub}
}

// gitRefusedOption names options refused for every git subcommand. Git
// accepts any unambiguous prefix of a long option (--out for --output),
// so prefixes are refused too.
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
	}
	for _, r := range reasons {
		if longAbbrev(a, r.names...) {
			return r.why, true
		}
	}
	return "", false
}

func gitRule(c *checker, args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, refuse("git", "git needs a read-only subcommand (status, diff, log, show, branch, rev-parse, ls-files, blame)")
	}
	sub := args[0]
	if strings.HasPrefix(sub, "-") {
		return nil, refuse(joinCmd("git", args), "git options before the subcommand (-c, -C, --git-dir, --work-tree, --exec-path, ...) are not allowed")
	}
	r, ok := gitSubcommands()[sub]
	if !ok {
		return nil, refuse(joinCmd("git", args), "git %s is not allowed: safe mode runs only read-only git (status, diff, log, show, branch, rev-parse, ls-files, blame)", sub)
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

// gitValueOption reports options of diff/log/show whose value may follow
// as a separate argument, so that value is not taken for a revision.
func gitValueOption(a string) bool {
	switch a {
	case "-n", "-S", "-G", "-O", "-L":
		return true
	}
	if !strings.HasPrefix(a, "--") || strings.Contains(a, "=") {
		return false
	}
	switch a[2:] {
	case "max-count", "skip", "since", "after", "until", "before", "author", "committer",
		"grep", "format", "pretty", "date", "encoding", "min-age", "max-age", "diff-filter", "exclude":
		return true
	}
	return false
}

// gitContent handles the subcommands that print file names or contents.
// Revisions are peeled to commits where a blob could be shown, REV:path is
// made cwd-relative and checked, and the blocked globs are appended as
// exclude pathspecs so history of blocked files stays hidden.
func gitContent(sub string) rule {
	return func(c *checker, args []string) ([]string, error) {
		var opts, specs []string
		for i := 0; i < len(args); i++ {
			a := args[i]
			switch {
			case a == "--":
				for _, p := range args[i+1:] {
					if err := c.gitPathspec(p); err != nil {
						return nil, err
					}
					specs = append(specs, p)
				}
				i = len(args)
			case strings.HasPrefix(a, "-"):
				if err := c.checkWord(a); err != nil {
					return nil, err
				}
				opts = append(opts, a)
				if gitValueOption(a) && i+1 < len(args) {
					i++
					if err := c.checkWord(args[i]); err != nil {
						return nil, err
					}
					opts = append(opts, args[i])
				}
			case c.exists(a) || sub == "status" || sub == "ls-files":
				if err := c.gitPathspec(a); err != nil {
					return nil, err
				}
				specs = append(specs, a)
			default:
				rev, err := c.gitRevision(sub, a)
				if err != nil {
					return nil, err
				}
				opts = append(opts, rev)
			}
		}
		argv := gitPrefix(sub)
		if sub == "diff" || sub == "show" || sub == "log" {
			argv = append(argv, "--no-ext-diff", "--no-textconv")
		}
		argv = append(argv, opts...)
		if len(specs) == 0 {
			specs = []string{"."}
		}
		argv = append(append(argv, "--"), specs...)
		return append(argv, c.gitExcludes()...), nil
	}
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

// gitRevision checks a revision argument. REV:path names a blob: the path
// is checked and made explicit ("./path", resolved from cwd as it was
// checked). For show and diff a plain revision is peeled to a commit, so a
// blob id of a blocked file cannot be printed.
func (c *checker) gitRevision(sub, a string) (string, error) {
	if rev, p, ok := splitObjectSpec(a); ok {
		if sub == "log" {
			return "", refuse(a, "git log takes revisions, not REV:path")
		}
		if err := c.checkPath(a, p); err != nil {
			return "", err
		}
		if p != "" && !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") {
			p = "./" + p
		}
		return rev + ":" + p, nil
	}
	if err := c.checkWord(a); err != nil {
		return "", err
	}
	if sub == "log" {
		return a, nil
	}
	return peel(a), nil
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
// forcing or upstream changes.
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
			case "all", "remotes", "verbose", "show-current", "color", "no-color", "column", "no-column",
				"ignore-case", "abbrev", "no-abbrev", "sort", "format", "omit-empty":
			case "contains", "no-contains", "merged", "no-merged", "points-at":
				if !strings.Contains(a, "=") && i+1 < len(args) {
					out = append(out, a)
					i++
					a = args[i]
				}
			default:
				return nil, refuse(joinCmd("git branch", args), "git branch may only list branches (%s changes refs or config)", a)
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
	return append(gitPrefix("branch"), out...), nil
}

func gitRevParse(c *checker, args []string) ([]string, error) {
	for _, a := range args {
		if hasOpt(a, "git-path", "parseopt", "sq-quote") {
			return nil, refuse(a, "git rev-parse %s is not allowed in safe mode", a)
		}
		if _, p, ok := splitObjectSpec(a); ok && !strings.HasPrefix(a, "-") {
			if err := c.checkPath(a, p); err != nil {
				return nil, err
			}
			continue
		}
		if err := c.checkWord(a); err != nil {
			return nil, err
		}
	}
	return append(gitPrefix("rev-parse"), args...), nil
}

// gitBlame prints one file's contents: every argument is checked, so a
// blocked file is refused like any other read.
func gitBlame(c *checker, args []string) ([]string, error) {
	for _, a := range args {
		if a == "--" {
			continue
		}
		if strings.HasPrefix(a, ":") {
			return nil, refuse(a, "git pathspec magic is not allowed")
		}
		if err := c.checkWord(a); err != nil {
			return nil, err
		}
	}
	return append(gitPrefix("blame"), args...), nil
}
