package gitx

import (
	"path"
	"regexp"
	"strings"

	"codexpro.dev/pkg/redact"
)

// OutputKind says how a safe-mode git command lays out its stdout, so the
// filter knows which lines name files and which belong to one file's diff.
type OutputKind uint8

const (
	// OutPlain names no file (branch, rev-parse): only redaction applies.
	OutPlain OutputKind = iota
	// OutLog is commits (header, indented message) each followed by file
	// lists and diff sections: log, show COMMIT.
	OutLog
	// OutDiff is file lists and diff sections without commits: diff.
	OutDiff
	// OutObject is show REV:path: a blob's text, or a tree listing.
	OutObject
	// OutStatus is status in its long form.
	OutStatus
	// OutShortStatus is status -s / --porcelain ("XY path").
	OutShortStatus
	// OutLsFiles is one path per line, after a tag or a tab where asked.
	OutLsFiles
	// OutBlame is blame's default format: "HASH [PATH] (AUTHOR ...) text".
	OutBlame
)

// Output describes one safe-mode git command's stdout. bashpolicy fills it
// from the options it allowed; Filter judges every path the output names
// with the workspace's blocklist and drops what names a hidden path whole.
type Output struct {
	Kind OutputKind
	// Oneline: OutLog commits are one line each (--oneline, --pretty=oneline).
	Oneline bool
	// NameOnly: --name-only was asked for; git ran with --name-status, so a
	// name line cannot be mistaken for a commit, and the status is cut here.
	NameOnly bool
	// CwdRelative: printed paths are relative to Cwd, not to the repository
	// top (status, ls-files, diff --relative).
	CwdRelative bool
	// Cwd is the workspace-relative directory git ran in.
	Cwd string
	// Tree is, for OutObject, the workspace-relative path of the object
	// shown; a tree listing's names are relative to it.
	Tree string
	// Tagged: OutLsFiles lines start with a status tag and a space (-t, -v).
	Tagged bool
}

// pathView maps a path as git printed it to the workspace and says whether
// it may be shown.
type pathView struct {
	r      *Repo
	cwd    string // workspace-relative
	prefix string // the workspace's place in the repository ("" or "dir/")
	cwdRel bool
}

// hidden reports a printed path (possibly C-quoted) that is outside the
// workspace, blocked, or unreadable.
func (v pathView) hidden(printed string) bool {
	p, rest, err := unquote(printed)
	if err != nil || rest != "" {
		return true
	}
	return v.hiddenPath(p)
}

// hiddenPath is hidden for a decoded path.
func (v pathView) hiddenPath(p string) bool {
	if p == "" {
		return true
	}
	if v.cwdRel {
		return v.r.hidden(path.Join(v.cwd, p))
	}
	p = path.Clean(p)
	if v.prefix != "" {
		rel, ok := strings.CutPrefix(p+"/", v.prefix)
		if !ok {
			return true
		}
		p = strings.TrimSuffix(rel, "/")
	}
	if p == "" {
		p = "."
	}
	return v.r.hidden(p)
}

// filter passes a safe-mode git command's stdout through the same per-file
// judgement git_diff uses: a diff section, a file-list line or a tree entry
// that names a blocked path or a path outside the workspace is dropped
// whole, and a line whose layout is not understood is dropped too (failing
// closed). A cut-off last line is dropped first: a partial name could hide
// a blocked one. prefix is the workspace's place in its repository.
func (r *Repo) filter(o Output, prefix, text string, truncated bool) string {
	if truncated {
		text = text[:strings.LastIndexByte(text, '\n')+1]
	}
	if o.Kind == OutPlain || text == "" {
		return text
	}
	v := pathView{r: r, cwd: cleanRel(o.Cwd), cwdRel: o.CwdRelative, prefix: prefix}
	switch o.Kind {
	case OutLog, OutDiff:
		return filterLog(o, v, text)
	case OutObject:
		return filterObject(o, r, text)
	case OutBlame:
		return redactBlame(filterLines(text, v, blamePaths))
	case OutStatus:
		return filterLines(text, v, statusPaths)
	case OutShortStatus:
		return filterLines(text, v, shortStatusPaths)
	case OutLsFiles:
		return filterLines(text, v, func(l string) ([]string, bool) { return lsFilesPath(l, o.Tagged) })
	}
	return ""
}

func cleanRel(p string) string {
	if p == "" {
		return "."
	}
	return path.Clean(p)
}

// lines splits text into lines without their "\n"; a final line without
// one is kept.
func lines(text string) []string {
	ls := strings.Split(text, "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// filterLines keeps each line whose paths are all shown. pathsOf returns
// the paths a line names and false for a line it cannot read.
// A line with a terminal escape in it is dropped: colour codes around a
// name would hide it from the matcher.
func filterLines(text string, v pathView, pathsOf func(string) ([]string, bool)) string {
	var b strings.Builder
	for _, l := range lines(text) {
		ps, ok := pathsOf(l)
		if ok && !strings.Contains(l, "\x1b") && v.allShown(ps) {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (v pathView) allShown(ps []string) bool {
	for _, p := range ps {
		if v.hidden(p) {
			return false
		}
	}
	return true
}

// statusPaths reads long-form status: entries are tab-indented, as
// "\tlabel:   path" or "\tpath"; every reading is judged. Other lines are
// headings and hints.
func statusPaths(l string) ([]string, bool) {
	entry, ok := strings.CutPrefix(l, "\t")
	if !ok {
		return nil, true
	}
	ps := []string{entry}
	if i := strings.Index(entry, ":"); i > 0 {
		ps = append(ps, strings.TrimLeft(entry[i+1:], " "))
		// "modified:   sub (new commits)" names the submodule sub.
		if j := strings.LastIndex(entry, " ("); j > i {
			ps = append(ps, strings.TrimLeft(entry[i+1:j], " "))
		}
	}
	return ps, true
}

// shortStatusPaths reads "XY path" and the "## branch" header.
func shortStatusPaths(l string) ([]string, bool) {
	if strings.HasPrefix(l, "## ") {
		return nil, true
	}
	if len(l) < 4 || l[2] != ' ' {
		return nil, false
	}
	return []string{l[3:]}, true
}

// lsFilesPath reads a path after an optional tag ("H path") and after the
// tabs that end --stage/--eol columns. A path with a tab in it is quoted,
// so the last raw tab always ends the columns.
func lsFilesPath(l string, tagged bool) ([]string, bool) {
	if i := strings.LastIndexByte(l, '\t'); i >= 0 {
		return []string{l[i+1:]}, true
	}
	if tagged {
		_, p, ok := strings.Cut(l, " ")
		return []string{p}, ok
	}
	return []string{l}, true
}

// blamePaths reads the optional file-name column of blame's default
// format, which git prints when a line came from a file of another name
// (a rename in history). A name that could end at more than one " (" is
// not read: the line is dropped.
func blamePaths(l string) ([]string, bool) {
	_, rest, ok := strings.Cut(l, " ")
	if !ok {
		return nil, false
	}
	if strings.HasPrefix(rest, "(") {
		return nil, true
	}
	name, _, ok := strings.Cut(rest, " (")
	if !ok || strings.ContainsAny(name, "()") {
		return nil, false
	}
	return []string{strings.TrimRight(name, " ")}, true
}

// filterObject keeps a blob's text (its path was checked before git ran;
// it is redacted as one file)
// and filters a tree listing ("tree REV:path", a blank line, then one name
// per line, directories with a trailing "/") by the workspace's blocklist.
func filterObject(o Output, r *Repo, text string) string {
	if !strings.HasPrefix(text, "tree ") {
		return redact.Lines(text)
	}
	ls := lines(text)
	var b strings.Builder
	for i, l := range ls {
		if i < 2 {
			b.WriteString(l + "\n")
			continue
		}
		name, rest, err := unquote(strings.TrimSuffix(l, "/"))
		if err != nil || rest != "" || name == "" || strings.Contains(name, "/") {
			continue
		}
		if !r.hidden(path.Join(cleanRel(o.Tree), name)) {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// logState is where filterLog is in a commit.
type logState uint8

const (
	stStart   logState = iota // before the first commit: nothing is shown
	stHeader                  // "Author:", "Date:" ... up to the blank line
	stMessage                 // the indented message
	stFiles                   // file lists, up to the next commit or diff
	stSection                 // inside one file's diff section
)

var (
	commitLine  = regexp.MustCompile(`^commit [0-9a-f]{4,64}( \(.*\))?$`)
	onelineLine = regexp.MustCompile(`^[0-9a-f]{4,64}( |$)`)
	nameStatus  = regexp.MustCompile(`^[A-Z][0-9]{0,3}\t`)
	numStat     = regexp.MustCompile(`^([0-9]+|-)\t([0-9]+|-)\t`)
	statSummary = regexp.MustCompile(`^ [0-9]+ files? changed(, [0-9]+ insertions?\(\+\))?(, [0-9]+ deletions?\(-\))?$`)
	dirStat     = regexp.MustCompile(`^ +[0-9]+\.[0-9]+% `)
	summaryMode = regexp.MustCompile(`^ (create|delete) mode [0-7]{6} `)
	modeChange  = regexp.MustCompile(`^ mode change [0-7]{6} => [0-7]{6} `)
)

// filterLog walks log/show/diff output line by line. A diff section runs
// from its "diff --git"/"diff --cc" header while lines look like a diff
// (hunk lines start with ' ', '+', '-', '@' or '\', header lines with a
// known keyword) and is kept or dropped whole. Commit headers and indented
// messages are kept; every other line is a file-list line and must parse
// as one of the formats safe mode allows, naming only shown paths.
func filterLog(o Output, v pathView, text string) string {
	var b strings.Builder
	st := stStart
	if o.Kind == OutDiff {
		st = stFiles
	}
	var sec []string
	flush := func() {
		if len(sec) > 0 && sectionShown(sec, v) {
			for _, l := range redactSection(sec) {
				b.WriteString(l + "\n")
			}
		}
		sec = nil
	}
	for _, l := range lines(text) {
		if sectionStart(l) {
			flush()
			sec, st = []string{l}, stSection
			continue
		}
		if st == stSection {
			if sectionBody(l) {
				sec = append(sec, l)
				continue
			}
			flush()
			st = stFiles
		}
		if o.Kind == OutLog && isCommit(l, o.Oneline) {
			b.WriteString(l + "\n")
			st = stHeader
			if o.Oneline {
				st = stFiles
			}
			continue
		}
		switch st {
		case stHeader:
			b.WriteString(l + "\n")
			if l == "" {
				st = stMessage
			}
			continue
		case stMessage:
			if l == "" || strings.HasPrefix(l, "    ") {
				b.WriteString(l + "\n")
				if l == "" {
					st = stFiles
				}
				continue
			}
			st = stFiles
		case stStart:
			continue
		}
		if strings.HasPrefix(l, "Notes:") || strings.HasPrefix(l, "Notes (") {
			b.WriteString(l + "\n")
			st = stMessage
			continue
		}
		if out, ok := fileLine(l, o.NameOnly, v); ok {
			b.WriteString(out + "\n")
		}
	}
	flush()
	return b.String()
}

func isCommit(l string, oneline bool) bool {
	if oneline {
		return onelineLine.MatchString(l)
	}
	return commitLine.MatchString(l)
}

func sectionStart(l string) bool {
	return strings.HasPrefix(l, "diff --git ") || strings.HasPrefix(l, "diff --cc ") || strings.HasPrefix(l, "diff --combined ")
}

// sectionBody reports a line that belongs to a diff section: a hunk line or
// an extended header line.
func sectionBody(l string) bool {
	if l == "" {
		return false
	}
	switch l[0] {
	case ' ', '+', '-', '@', '\\':
		return true
	}
	for _, k := range []string{"index ", "old mode ", "new mode ", "deleted file mode ", "new file mode ",
		"similarity index ", "dissimilarity index ", "rename from ", "rename to ", "copy from ", "copy to ",
		"Binary files ", "mode "} {
		if strings.HasPrefix(l, k) {
			return true
		}
	}
	return false
}

// sectionShown reports whether every path a section's header names is
// shown; an unreadable header hides the section.
func sectionShown(sec []string, v pathView) bool {
	paths, err := sectionPaths(strings.Join(sec, "\n"))
	if err != nil || len(paths) == 0 {
		return false
	}
	for _, p := range paths {
		if v.hiddenPath(p) {
			return false
		}
	}
	return true
}

// fileLine reads one file-list line (--stat, --shortstat, --numstat,
// --name-status, --raw, --summary, --dirstat) and returns it as shown, or
// false when it names a hidden path or has no known layout. A line with a
// terminal escape in it (colour the config forced on) is not read.
func fileLine(l string, nameOnly bool, v pathView) (string, bool) {
	switch {
	case strings.Contains(l, "\x1b"):
		return "", false
	case l == "" || l == "---" || statSummary.MatchString(l):
		return l, true
	case nameStatus.MatchString(l):
		fields := strings.Split(l, "\t")
		if !v.allShown(fields[1:]) {
			return "", false
		}
		if nameOnly {
			return fields[len(fields)-1], true
		}
		return l, true
	case numStat.MatchString(l):
		fields := strings.SplitN(l, "\t", 3)
		return l, v.allShown(fields[2:])
	case strings.HasPrefix(l, ":"):
		_, ps, ok := strings.Cut(l, "\t")
		return l, ok && v.allShown(strings.Split(ps, "\t"))
	case summaryMode.MatchString(l):
		return l, v.allShown([]string{summaryMode.ReplaceAllString(l, "")})
	case modeChange.MatchString(l):
		return l, v.allShown([]string{modeChange.ReplaceAllString(l, "")})
	case dirStat.MatchString(l):
		return l, v.allShown([]string{strings.TrimSuffix(dirStat.ReplaceAllString(l, ""), "/")})
	case strings.HasPrefix(l, " "):
		return l, statShown(l, v)
	}
	return "", false
}

// statShown reads a --stat line " NAME   | 3 ++-". The name may itself hold
// " | ", so every reading is judged; a name git abbreviated ("...") cannot
// be judged and hides the line.
func statShown(l string, v pathView) bool {
	body := l[1:]
	found := false
	for i := strings.Index(body, " | "); i >= 0; {
		name := strings.TrimRight(body[:i], " ")
		if name == "" || strings.HasPrefix(name, "...") || v.hidden(name) {
			return false
		}
		found = true
		j := strings.Index(body[i+3:], " | ")
		if j < 0 {
			break
		}
		i += 3 + j
	}
	return found
}

// FilterMessages drops each line of a safe-mode git command's stderr that
// names a path that is blocked or outside the workspace, read from the
// directory git ran in: warnings such as "in the working copy of '.env'"
// (or, from older git, "LF will be replaced by CRLF in .env.") name files
// too. Quoted strings and bare words are both read as paths.
func (r *Repo) FilterMessages(o Output, text string) string {
	v := pathView{r: r, cwd: cleanRel(o.Cwd), cwdRel: true}
	var b strings.Builder
	for _, l := range lines(text) {
		if !namesHidden(l, v) {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func namesHidden(l string, v pathView) bool {
	if strings.Contains(l, "\x1b") {
		return true
	}
	for _, q := range []string{"'", "\""} {
		parts := strings.Split(l, q)
		for i := 1; i < len(parts); i += 2 {
			if p := parts[i]; p != "" && v.hiddenPath(p) {
				return true
			}
		}
	}
	for _, w := range strings.Fields(l) {
		if w = strings.Trim(w, "'\",.:;()"); w != "" && v.hiddenPath(w) {
			return true
		}
	}
	return false
}
