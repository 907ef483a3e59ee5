package gitx

import (
	"context"
	"strings"
)

// Status is `git status --short --branch` limited to the workspace, with
// paths relative to the workspace root.
type Status struct {
	Branch    string // the "## ..." header without "## "; "" if git gave none
	Entries   []StatusEntry
	Truncated bool
}

// StatusEntry is one changed path. Orig is the source of a rename or copy.
type StatusEntry struct {
	XY, Path, Orig string
}

// Status lists changes under rel ("." for the whole workspace). Git prints
// porcelain paths relative to the repository top, so they are rebased onto
// the workspace; anything outside it, or blocked, is dropped.
func (r *Repo) Status(ctx context.Context, rel string) (Status, error) {
	specs, err := r.pathspecs(rel)
	if err != nil {
		return Status{}, err
	}
	if !r.AllUntracked {
		// Every status line is filtered against the blocklist below, and the
		// exclude pathspecs make git five times slower on a large tree. With
		// every untracked file listed they stay, to keep git out of blocked
		// directories such as node_modules.
		specs = specs[:1]
	}
	prefix := r.prefixWhile(ctx)
	untracked := "--untracked-files=normal"
	if r.AllUntracked {
		untracked = "--untracked-files=all"
	}
	args := append([]string{"status", "--porcelain=v1", "-z", "--branch", "--no-renames", untracked, "--"}, specs...)
	out, err := r.run(ctx, args...)
	pre, preErr := prefix()
	if err != nil {
		return Status{}, err
	}
	if preErr != nil {
		return Status{}, preErr
	}
	st := r.parseStatus(out.text, pre, out.truncated)
	st.Truncated = out.truncated
	return st, nil
}

// prefix is the workspace's path inside its repository ("" at the top, else
// "dir/sub/").
func (r *Repo) prefix(ctx context.Context) (string, error) {
	out, err := r.run(ctx, "rev-parse", "--show-prefix")
	if err != nil {
		return "", err
	}
	return strings.TrimRight(out.text, "\n"), nil
}

// prefixWhile starts the prefix lookup, a second git process, so that it
// runs while the caller runs another; the result waits for it.
func (r *Repo) prefixWhile(ctx context.Context) func() (string, error) {
	var p string
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		p, err = r.prefix(ctx)
	}()
	return func() (string, error) {
		<-done
		return p, err
	}
}

// parseStatus reads NUL-separated porcelain v1 records. A cut-off last
// record is dropped: a truncated name could escape the blocklist.
func (r *Repo) parseStatus(text, prefix string, truncated bool) Status {
	fields := strings.Split(text, "\x00")
	if truncated || fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	var st Status
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if b, ok := strings.CutPrefix(f, "## "); ok && i == 0 {
			st.Branch = b
			continue
		}
		if len(f) < 4 || f[2] != ' ' {
			continue
		}
		e := StatusEntry{XY: f[:2]}
		var inside bool
		e.Path, inside = r.rebase(f[3:], prefix)
		if (e.XY[0] == 'R' || e.XY[0] == 'C') && i+1 < len(fields) {
			i++
			var origInside bool
			e.Orig, origInside = r.rebase(fields[i], prefix)
			inside = inside && origInside
		}
		if inside {
			st.Entries = append(st.Entries, e)
		}
	}
	return st
}

// rebase turns a repository-relative path into a workspace-relative one and
// reports whether it may be shown.
func (r *Repo) rebase(p, prefix string) (string, bool) {
	rel, ok := strings.CutPrefix(p, prefix)
	if !ok || rel == "" {
		return "", false
	}
	return rel, !r.hidden(strings.TrimSuffix(rel, "/"))
}

// Text renders the status like `git status --short --branch`.
func (s Status) Text() string {
	lines := s.Lines()
	if s.Branch != "" {
		lines = append([]string{"## " + s.Branch}, lines...)
	}
	if s.Truncated {
		lines = append(lines, TruncationMarker)
	}
	return strings.Join(lines, "\n")
}

// Lines returns the rendered entries without the branch header.
func (s Status) Lines() []string {
	out := make([]string, 0, len(s.Entries))
	for _, e := range s.Entries {
		l := e.XY + " " + quote(e.Path)
		if e.Orig != "" {
			l = e.XY + " " + quote(e.Orig) + " -> " + quote(e.Path)
		}
		out = append(out, l)
	}
	return out
}

// TruncationMarker ends output that was cut at the output cap.
const TruncationMarker = "...[git output truncated at the output limit; narrow it with path]"
