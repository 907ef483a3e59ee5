package bashpolicy

import (
	"path"
	"regexp"
	"strings"

	"codexpro.dev/pkg/gitx"
)

// wideStat replaces every --stat[=...]: git shortens long names to "...x"
// to fit a width, and a shortened name cannot be judged by the blocklist.
const wideStat = "--stat=4096,4096"

// historyOpts records what the options of one diff/log/show asked for.
type historyOpts struct {
	sub                   string
	oneline, custom       bool
	diffOut, noPatch      bool
	nameOnly, cwdRelative bool
	customFormat          string
}

var (
	countOpt   = regexp.MustCompile(`^-[0-9]+$`)
	namedPrett = map[string]bool{"oneline": true, "short": true, "medium": true, "full": true, "fuller": true}
)

// historyNoValue are the diff/log/show options taken as they are.
var historyNoValue = map[string]string{
	// What the diff shows and how it is computed; none changes the layout.
	"--full-index": "", "--minimal": "", "--patience": "", "--histogram": "", "-w": "", "--ignore-all-space": "",
	"-b": "", "--ignore-space-change": "", "--ignore-space-at-eol": "", "--ignore-blank-lines": "",
	"--ignore-cr-at-eol": "", "-W": "", "--function-context": "", "-a": "", "--text": "", "--exit-code": "",
	"--quiet": "", "--ignore-submodules": "", "--no-color": "", "--no-ext-diff": "", "--no-textconv": "",
	"--indent-heuristic": "", "--no-indent-heuristic": "", "--no-renames": "", "-R": "", "--abbrev": "",
	"--no-abbrev": "",
	// Revision walking (log, show).
	"--all-match": "log", "--invert-grep": "log", "-i": "log", "--regexp-ignore-case": "log", "-E": "log",
	"--extended-regexp": "log", "-F": "log", "--fixed-strings": "log", "--merges": "log", "--no-merges": "log",
	"--first-parent": "log", "--all": "log", "--branches": "log", "--tags": "log", "--remotes": "log",
	"--reverse": "log", "--abbrev-commit": "log", "--no-abbrev-commit": "log", "--decorate": "log",
	"--no-decorate": "log", "--topo-order": "log", "--date-order": "log", "--author-date-order": "log",
	"--no-walk": "log", "--simplify-by-decoration": "log", "--ancestry-path": "log", "--root": "log",
	"--no-notes": "log", "--full-diff": "log", "--oneline": "log", "--pretty": "log",
	// Which changes diff compares.
	"--cached": "diff", "--staged": "diff", "--merge-base": "diff",
}

// historyValue are the options that take a value: attached with "=" (or,
// for a short option, directly), or as the next argument where sep.
var historyValue = map[string]struct {
	sep  bool
	only string // "log" for log/show, "diff" for diff, "" for all three
}{
	"--abbrev": {}, "--diff-algorithm": {}, "--inter-hunk-context": {}, "--ignore-submodules": {},
	"--diff-filter": {}, "--unified": {}, "-U": {},
	"-n": {sep: true, only: "log"}, "--max-count": {sep: true, only: "log"}, "--skip": {sep: true, only: "log"},
	"--since": {sep: true, only: "log"}, "--after": {sep: true, only: "log"}, "--until": {sep: true, only: "log"},
	"--before": {sep: true, only: "log"}, "--author": {sep: true, only: "log"},
	"--committer": {sep: true, only: "log"}, "--grep": {sep: true, only: "log"}, "--date": {only: "log"},
	"--decorate": {only: "log"}, "--branches": {only: "log"}, "--tags": {only: "log"}, "--remotes": {only: "log"},
	"--min-parents": {only: "log"}, "--max-parents": {only: "log"}, "--diff-merges": {only: "log"},
	"-L": {sep: true, only: "log"}, "--pretty": {only: "log"}, "--format": {only: "log"},
	"--stat": {}, "--dirstat": {},
}

// diffOutput are the options that make git print file lists or patches.
var diffOutput = map[string]bool{
	"-p": true, "-u": true, "--patch": true, "--raw": true, "--patch-with-raw": true, "--patch-with-stat": true,
	"--numstat": true, "--shortstat": true, "--name-status": true, "--summary": true, "--stat": true,
	"--dirstat": true, "--name-only": true, "-U": true, "--unified": true, "-m": true, "-c": true, "--cc": true,
	"--diff-merges": true, "-L": true,
}

func (h *historyOpts) scope(only string) bool {
	switch only {
	case "log":
		return h.sub == "log" || h.sub == "show"
	case "diff":
		return h.sub == "diff"
	}
	return true
}

// option checks one option of diff/log/show and returns it as git will
// get it; consumed reports that its value is the next argument.
func (h *historyOpts) option(a string, next *string) (string, bool, error) {
	name, val, hasVal := strings.Cut(a, "=")
	if !strings.HasPrefix(a, "--") && len(a) > 2 {
		if countOpt.MatchString(a) && h.scope("log") {
			return a, false, nil
		}
		name, val, hasVal = a[:2], a[2:], true // -n5, -U3, -L1,2:file
	}
	switch name {
	case "-p", "-u", "--patch", "--raw", "--patch-with-raw", "--patch-with-stat", "--numstat", "--shortstat",
		"--name-status", "--summary", "-m", "-c", "--cc":
		if hasVal || ((name == "-m" || name == "-c" || name == "--cc") && !h.scope("log")) {
			return "", false, gitUnknown(h.sub, a)
		}
		h.diffOut = true
		return a, false, nil
	case "--name-only":
		if hasVal {
			return "", false, gitUnknown(h.sub, a)
		}
		h.diffOut, h.nameOnly = true, true
		return "--name-status", false, nil
	case "-s", "--no-patch":
		h.noPatch = true
		return a, false, nil
	case "--relative":
		if hasVal {
			return "", false, refuse(a, "git %s --relative=DIR is not allowed; run it with cwd set to DIR instead", h.sub)
		}
		h.cwdRelative = true
		return a, false, nil
	case "--oneline":
		h.oneline = true
	case "--pretty", "--format":
		if err := h.format(a, val, hasVal); err != nil {
			return "", false, err
		}
	}
	if scope, ok := historyNoValue[name]; ok && !hasVal && h.scope(scope) {
		return a, false, nil
	}
	spec, ok := historyValue[name]
	if !ok || !h.scope(spec.only) {
		return "", false, gitUnknown(h.sub, a)
	}
	if diffOutput[name] {
		h.diffOut = true
	}
	switch name {
	case "--stat":
		return wideStat, false, nil
	case "--dirstat":
		return a, false, nil
	}
	if name == "--diff-merges" && strings.HasPrefix(val, "remerge") {
		return "", false, gitUnknown(h.sub, a)
	}
	if hasVal {
		return a, false, nil
	}
	if spec.sep && next != nil {
		return a, true, nil
	}
	return "", false, refuse(a, "git %s %s needs a value", h.sub, a)
}

// format accepts the named one-commit layouts the filter can read. A
// custom format is accepted only where no file list or patch follows it
// (the filter could not tell its text from a file name) and never with %G
// (signature checks run gpg).
func (h *historyOpts) format(a, val string, hasVal bool) error {
	if !hasVal {
		return nil
	}
	if namedPrett[val] {
		h.oneline = val == "oneline"
		return nil
	}
	if strings.Contains(val, "%G") {
		return refuse(a, "git %s format placeholders %%G... verify signatures by running gpg, which safe mode does not allow", h.sub)
	}
	if !strings.HasPrefix(val, "format:") && !strings.HasPrefix(val, "tformat:") && !strings.Contains(val, "%") {
		return refuse(a, "git %s %s: safe mode allows the formats oneline, short, medium, full and fuller, or a custom format without file lists", h.sub, a)
	}
	h.custom, h.customFormat = true, a
	return nil
}

// gitHistory handles diff, log and show.
func gitHistory(sub string) rule {
	return func(c *checker, args []string) ([]string, error) {
		h := &historyOpts{sub: sub}
		g, err := c.gitSplit(sub, args, h.option)
		if err != nil {
			return nil, err
		}
		out := gitx.Output{Kind: gitx.OutLog, Oneline: h.oneline, NameOnly: h.nameOnly, CwdRelative: h.cwdRelative}
		if sub == "diff" {
			out.Kind = gitx.OutDiff
		}
		forced := []string{"--no-ext-diff", "--no-textconv", "--no-color", "--no-renames"}
		if h.custom {
			if h.diffOut || (sub == "show" && !h.noPatch) {
				return nil, refuse(h.customFormat, "git %s with a custom format prints file lists or patches the filter cannot tell from the format's text: use a named format (--oneline, --format=medium) or add -s/--no-patch", sub)
			}
			// The output is only the format's text: --no-patch, forced
			// last, makes sure no option implied a diff after all.
			out.Kind = gitx.OutPlain
			forced = append(forced, "--no-patch")
		}
		revs := g.revs
		for i, r := range g.revs {
			rev, object, err := c.gitRevision(r)
			if err != nil {
				return nil, err
			}
			if object {
				if sub != "show" {
					return nil, refuse(r, "git %s takes revisions, not REV:path (use git show %s)", sub, r)
				}
				// Anything else (another revision, --all, --branches, ...)
				// would add commits to output read as one blob.
				if len(g.revs) > 1 || len(g.opts) > 0 || len(g.specs) > 0 {
					return nil, refuse(joinCmd("git show", args), "git show REV:path takes no options, paths or other objects")
				}
				_, p, _ := splitObjectSpec(rev)
				out = gitx.Output{Kind: gitx.OutObject, Tree: path.Join(c.cwd, p)}
			}
			revs[i] = rev
		}
		g.revs = revs
		return c.gitFinish(sub, g, forced, out), nil
	}
}
