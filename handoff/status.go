package handoff

import (
	"context"
	"sort"
	"strings"
)

// statusEntry is one `git status --porcelain=v2 -z` record, with its paths
// made workspace-relative.
type statusEntry struct {
	Line  string   // the record as git printed it (repository paths)
	Paths []string // workspace-relative; a rename has both ends
}

// gitStatus lists changes in the workspace, untracked files included.
// Porcelain v2 with -z keeps unusual file names intact (v1 parsing without
// -z quotes and escapes non-ASCII names).
func (g git) status(ctx context.Context) ([]statusEntry, error) {
	pre, err := g.prefix(ctx)
	if err != nil {
		return nil, err
	}
	out, err := g.run(ctx, "-c", "status.relativePaths=false", "status", "--porcelain=v2", "-z", "--untracked-files=all", "--", ".")
	if err != nil {
		return nil, err
	}
	fields := strings.Split(out, "\x00")
	var entries []statusEntry
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if f == "" {
			continue
		}
		var p string
		switch f[0] {
		case '1':
			p = nthField(f, 8)
		case '2':
			p = nthField(f, 9)
		case 'u':
			p = nthField(f, 10)
		case '?', '!':
			p = f[2:]
		default:
			continue
		}
		e := statusEntry{Line: f, Paths: []string{strings.TrimPrefix(p, pre)}}
		if f[0] == '2' && i+1 < len(fields) {
			i++
			e.Line += "\x00" + fields[i]
			e.Paths = append(e.Paths, strings.TrimPrefix(fields[i], pre))
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(a, b int) bool { return entries[a].Line < entries[b].Line })
	return entries, nil
}

// nthField returns the rest of s after n space-separated fields: the path
// of a porcelain v2 record, which may itself contain spaces.
func nthField(s string, n int) string {
	for i := 0; i < n; i++ {
		j := strings.IndexByte(s, ' ')
		if j < 0 {
			return ""
		}
		s = s[j+1:]
	}
	return s
}

// inContext reports whether every path of e lies inside the context dir.
func (e statusEntry) inContext(contextDir string) bool {
	for _, p := range e.Paths {
		if p != contextDir && !strings.HasPrefix(p, contextDir+"/") {
			return false
		}
	}
	return true
}

// outsideContext drops the entries that only touch the context dir.
func outsideContext(entries []statusEntry, contextDir string) []statusEntry {
	var out []statusEntry
	for _, e := range entries {
		if !e.inContext(contextDir) {
			out = append(out, e)
		}
	}
	return out
}
