package gitx

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// Diff is `git diff` limited to the workspace, with paths relative to it.
type Diff struct {
	Text      string   // unified diff ("" unless asked for)
	Files     []string // changed paths
	Additions int
	Deletions int
	Truncated bool // Text was cut at the output cap (the counts are still whole)
}

// Diff reports unstaged (or, with staged, staged) changes under rel. The
// counts come from --numstat, so they stay exact when the text is cut.
func (r *Repo) Diff(ctx context.Context, rel string, staged, withText bool) (Diff, error) {
	specs, err := r.pathspecs(rel)
	if err != nil {
		return Diff{}, err
	}
	// Outside a repository `git diff` silently turns into `diff --no-index`;
	// asking for the prefix first gives a clear "not a git repository".
	if _, err := r.prefix(ctx); err != nil {
		return Diff{}, err
	}
	common := []string{"diff", "--relative", "--no-renames", "--no-ext-diff", "--no-textconv"}
	if staged {
		common = append(common, "--staged")
	}
	tail := append([]string{"--"}, specs...)
	out, err := r.run(ctx, concat(common, []string{"--numstat", "-z"}, tail)...)
	if err != nil {
		return Diff{}, err
	}
	var d Diff
	r.parseNumstat(&d, out.text, out.truncated)
	if !withText {
		return d, nil
	}
	out, err = r.run(ctx, concat(common, []string{"--no-color", "--src-prefix=a/", "--dst-prefix=b/"}, tail)...)
	if err != nil {
		return Diff{}, err
	}
	d.Text, d.Truncated = r.filterDiff(out.text, out.truncated), out.truncated
	if d.Truncated {
		d.Text += TruncationMarker + "\n"
	}
	return d, nil
}

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// parseNumstat reads "added\tdeleted\tpath" NUL-separated records; binary
// files count "-" and add nothing.
func (r *Repo) parseNumstat(d *Diff, text string, truncated bool) {
	recs := strings.Split(text, "\x00")
	if truncated || recs[len(recs)-1] == "" {
		recs = recs[:len(recs)-1]
	}
	for _, rec := range recs {
		f := strings.SplitN(strings.TrimLeft(rec, "\n"), "\t", 3)
		if len(f) != 3 || r.hidden(f[2]) {
			continue
		}
		add, _ := strconv.Atoi(f[0])
		del, _ := strconv.Atoi(f[1])
		d.Additions += add
		d.Deletions += del
		d.Files = append(d.Files, f[2])
	}
}

// filterDiff drops every file section that names a hidden path, and any
// section whose header cannot be read (failing closed). A cut-off last line
// is dropped first: a partial header could hide a blocked name.
func (r *Repo) filterDiff(text string, truncated bool) string {
	if truncated {
		if i := strings.LastIndexByte(text, '\n'); i >= 0 {
			text = text[:i+1]
		} else {
			text = ""
		}
	}
	var b strings.Builder
	for _, sec := range sections(text) {
		paths, err := sectionPaths(sec)
		if err != nil || len(paths) == 0 {
			continue
		}
		shown := true
		for _, p := range paths {
			if r.hidden(p) {
				shown = false
			}
		}
		if shown {
			b.WriteString(sec)
		}
	}
	return b.String()
}

// sections splits a diff at each "diff --git " line. Text before the first
// header is not part of any section and is dropped.
func sections(text string) []string {
	var out []string
	start := -1
	for i := 0; i < len(text); {
		end := strings.IndexByte(text[i:], '\n')
		next := len(text)
		if end >= 0 {
			next = i + end + 1
		}
		if strings.HasPrefix(text[i:], "diff --git ") {
			if start >= 0 {
				out = append(out, text[start:i])
			}
			start = i
		}
		i = next
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

var errHeader = errors.New("unreadable diff header")

// sectionPaths collects every path a section's header names: the
// "diff --git" (or "diff --cc") line and the extended header lines up to the first hunk.
func sectionPaths(sec string) ([]string, error) {
	lines := strings.Split(sec, "\n")
	paths, err := headerLinePaths(lines[0])
	if err != nil {
		return nil, err
	}
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "@@") || strings.HasPrefix(l, "Binary files ") || strings.HasPrefix(l, "GIT binary patch") {
			break
		}
		p, ok, err := headerPath(l)
		if err != nil {
			return nil, err
		}
		if ok {
			paths = append(paths, p)
		}
	}
	return paths, nil
}

// headerLinePaths reads a section's first line: "diff --git a/X b/Y", or a
// merge's combined "diff --cc X" / "diff --combined X".
func headerLinePaths(l string) ([]string, error) {
	if rest, ok := strings.CutPrefix(l, "diff --git "); ok {
		return gitLinePaths(rest)
	}
	for _, k := range []string{"diff --cc ", "diff --combined "} {
		if rest, ok := strings.CutPrefix(l, k); ok {
			p, more, err := unquote(rest)
			if err != nil || more != "" || p == "" {
				return nil, errHeader
			}
			return []string{p}, nil
		}
	}
	return nil, errHeader
}

// gitLinePaths parses `a/X b/Y` where either side may be C-quoted. With
// renames off both sides name the same file, which settles where an
// unquoted name with spaces splits.
func gitLinePaths(rest string) ([]string, error) {
	if strings.HasPrefix(rest, `"`) {
		a, more, err := unquote(rest)
		if err != nil || !strings.HasPrefix(more, " ") {
			return nil, errHeader
		}
		b, _, err := unquote(more[1:])
		if err != nil {
			return nil, errHeader
		}
		return stripPrefixes(a, b)
	}
	n := len(rest)
	if n < 7 || (n-5)%2 != 0 {
		return nil, errHeader
	}
	l := (n - 5) / 2
	a, b := rest[:2+l], rest[2+l+1:]
	if rest[2+l] != ' ' || len(a) < 2 || len(b) < 2 || a[2:] != b[2:] {
		return nil, errHeader
	}
	return stripPrefixes(a, b)
}

func stripPrefixes(a, b string) ([]string, error) {
	pa, okA := strings.CutPrefix(a, "a/")
	pb, okB := strings.CutPrefix(b, "b/")
	if !okA || !okB {
		return nil, errHeader
	}
	return []string{pa, pb}, nil
}

// headerPath reads the path from an extended header line that names one.
func headerPath(l string) (string, bool, error) {
	for _, k := range []string{"--- ", "+++ ", "rename from ", "rename to ", "copy from ", "copy to "} {
		rest, ok := strings.CutPrefix(l, k)
		if !ok {
			continue
		}
		p, _, err := unquote(strings.TrimSuffix(rest, "\t"))
		if err != nil {
			return "", false, err
		}
		if p == "/dev/null" {
			return "", false, nil
		}
		if k == "--- " || k == "+++ " {
			p = p[min(2, len(p)):] // a/ or b/
		}
		return p, true, nil
	}
	return "", false, nil
}
