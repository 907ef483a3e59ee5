package gitx

import (
	"path"
	"strings"
)

// pathspecs turns a workspace-relative path argument into git pathspecs:
// the path itself as a literal (so ":(top)", "*" or ":!x" mean files of that
// name, never pathspec magic), then one exclusion per blocked glob. A path
// that git could read as an option is refused even though it follows "--".
func (r *Repo) pathspecs(rel string) ([]string, error) {
	if rel == "" {
		rel = "."
	}
	clean := path.Clean(rel)
	switch {
	case strings.HasPrefix(rel, "-"):
		return nil, &PathError{Path: rel, Reason: "a path must not start with '-'"}
	case strings.ContainsRune(rel, 0):
		return nil, &PathError{Path: rel, Reason: "a path must not contain a NUL byte"}
	case path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../"):
		return nil, &PathError{Path: rel, Reason: "the path is outside the workspace"}
	}
	specs := []string{":(literal)" + clean}
	for _, g := range r.Exclude {
		if g = strings.TrimPrefix(strings.TrimSpace(g), "./"); g != "" {
			specs = append(specs, ":(exclude,icase,glob)"+g)
		}
	}
	return specs, nil
}

// hidden reports whether a path from git's output must not be shown: it
// leaves the workspace or the blocklist matches it.
func (r *Repo) hidden(rel string) bool {
	clean := path.Clean(rel)
	if rel == "" || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return true
	}
	return r.Blocked != nil && r.Blocked(clean)
}
