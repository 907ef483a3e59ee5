package bashpolicy

import (
	"slices"
	"strings"

	"codexpro.dev/pkg/gitx"
)

// shortCluster reports a short-option cluster ("-sb") made only of letters.
func shortCluster(a, letters string) bool {
	if len(a) < 2 || a[0] != '-' || a[1] == '-' {
		return false
	}
	for _, l := range a[1:] {
		if !strings.ContainsRune(letters, l) {
			return false
		}
	}
	return true
}

// gitStatus allows the long, short and porcelain (v1) layouts. Long and
// short print paths relative to cwd, porcelain relative to the repository
// top; the filter is told which.
func gitStatus(c *checker, args []string) ([]string, error) {
	out := gitx.Output{Kind: gitx.OutStatus, CwdRelative: true}
	allow := func(a string, _ *string) (bool, error) {
		name, val, _ := strings.Cut(a, "=")
		switch {
		case shortCluster(a, "sb"):
			if strings.Contains(a, "s") {
				out.Kind = gitx.OutShortStatus
			}
		case a == "--short":
			out.Kind = gitx.OutShortStatus
		case a == "--porcelain" || a == "--porcelain=v1" || a == "--porcelain=1":
			out.Kind, out.CwdRelative = gitx.OutShortStatus, false
		case strings.HasPrefix(a, "-u") && !strings.HasPrefix(a, "--") && oneOf(a[2:], "", "no", "normal", "all"):
		case name == "--untracked-files" && oneOf(val, "", "no", "normal", "all"):
		case name == "--ignored" && oneOf(val, "", "traditional", "no", "matching"):
		case name == "--ignore-submodules" && oneOf(val, "", "none", "untracked", "dirty", "all"):
		case oneOf(a, "--branch", "--long", "--no-renames", "--ahead-behind", "--no-ahead-behind", "--no-column"):
		default:
			return false, gitUnknown("status", a)
		}
		return false, nil
	}
	g, err := c.gitSplit("status", args, wrapAllow(allow))
	if err != nil {
		return nil, err
	}
	if len(g.revs) > 0 {
		return nil, refuse(g.revs[0], "git status takes paths, not revisions")
	}
	return c.gitFinish("status", g, []string{"--no-renames", "--no-column"}, out), nil
}

// gitLsFiles lists index and work-tree names; tags (-t, -v, -f) and the
// --stage/--eol columns are read by the filter.
func gitLsFiles(c *checker, args []string) ([]string, error) {
	out := gitx.Output{Kind: gitx.OutLsFiles, CwdRelative: true}
	allow := func(a string, next *string) (bool, error) {
		name, _, hasVal := strings.Cut(a, "=")
		switch {
		case shortCluster(a, "cdmoiskutvf"):
			out.Tagged = out.Tagged || strings.ContainsAny(a, "tvf")
		case a == "-x" && next != nil:
			return true, nil
		case hasVal && (name == "--exclude" || name == "--exclude-per-directory" || name == "--abbrev"):
		case a == "--full-name":
			out.CwdRelative = false
		case oneOf(a, "--cached", "--deleted", "--modified", "--others", "--ignored", "--stage", "--unmerged",
			"--killed", "--directory", "--no-empty-directory", "--exclude-standard", "--deduplicate", "--eol",
			"--abbrev", "--error-unmatch"):
		default:
			return false, gitUnknown("ls-files", a)
		}
		return false, nil
	}
	g, err := c.gitSplit("ls-files", args, wrapAllow(allow))
	if err != nil {
		return nil, err
	}
	return c.gitFinish("ls-files", g, nil, out), nil
}

// gitBlame prints one file's lines. The file is checked like any read; the
// file-name column git adds for lines that came from a renamed file is
// judged by the filter. Options that pull lines from other files (-C, -M),
// read other files (--contents, -S) or change the layout are refused.
func gitBlame(c *checker, args []string) ([]string, error) {
	allow := func(a string, next *string) (bool, error) {
		name, _, hasVal := strings.Cut(a, "=")
		switch {
		case a == "-L" && next != nil:
			return true, nil
		case strings.HasPrefix(a, "-L") && len(a) > 2:
		case shortCluster(a, "welbt"):
		case hasVal && (name == "--date" || name == "--abbrev"):
		case oneOf(a, "--root", "--show-email", "--no-textconv"):
		default:
			return false, gitUnknown("blame", a)
		}
		return false, nil
	}
	g, err := c.gitSplit("blame", args, wrapAllow(allow))
	if err != nil {
		return nil, err
	}
	if len(g.specs) != 1 {
		return nil, refuse(joinCmd("git blame", args), "git blame takes exactly one file")
	}
	for i, r := range g.revs {
		rev, object, err := c.gitRevision(r)
		if err != nil {
			return nil, err
		}
		if object {
			return nil, refuse(r, "git blame takes a revision and a file, not REV:path")
		}
		g.revs[i] = rev
	}
	argv := append(append(append(gitPrefix("blame"), g.opts...), "--no-textconv"), g.revs...)
	c.git = &gitx.Output{Kind: gitx.OutBlame, Cwd: c.cwd}
	return append(append(argv, "--"), g.specs...), nil
}

// wrapAllow adapts an allow function that does not rewrite its option.
func wrapAllow(f func(a string, next *string) (bool, error)) func(string, *string) (string, bool, error) {
	return func(a string, next *string) (string, bool, error) {
		consumed, err := f(a, next)
		return a, consumed, err
	}
}

func oneOf(s string, set ...string) bool { return slices.Contains(set, s) }
