package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ID is stable across processes for the same real path, so a client can keep
// using a workspace id after a restart (the same formula as CodexPro 0.30).
func ID(realRoot string) string {
	sum := sha256.Sum256([]byte(realRoot))
	return "ws_" + hex.EncodeToString(sum[:])[:24]
}

// Roots is the set of directories the user allowed. Any directory inside one
// of them can be opened as a workspace; opened workspaces are cached so each
// keeps one os.Root handle for the life of the process.
type Roots struct {
	allowed []string
	blocked *Blocklist
	limits  Limits

	mu     sync.Mutex
	opened map[string]*Workspace
}

// Limits bound what one call may read.
type Limits struct {
	MaxReadBytes int64
}

// NewRoots checks each allowed root exists and is a directory, and stores its
// real path. The first root is the default workspace.
func NewRoots(paths []string, blocked *Blocklist, limits Limits) (*Roots, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no allowed roots: give --root")
	}
	r := &Roots{blocked: blocked, limits: limits, opened: map[string]*Workspace{}}
	seen := map[string]bool{}
	for _, p := range paths {
		real, err := realDir(p)
		if err != nil {
			return nil, fmt.Errorf("allowed root %s: %w", p, err)
		}
		if !seen[real] {
			seen[real] = true
			r.allowed = append(r.allowed, real)
		}
	}
	return r, nil
}

// List returns the real paths of the allowed roots, default first.
func (r *Roots) List() []string { return append([]string(nil), r.allowed...) }

// Default opens the first allowed root (already a real path, so no
// resolution on the hot path).
func (r *Roots) Default() (*Workspace, error) { return r.cached(r.allowed[0]) }

// Open opens dir as a workspace. A relative dir is taken from the default
// root; "~" and "~/x" mean the user's home. The real path must lie inside an
// allowed root.
func (r *Roots) Open(dir string) (*Workspace, error) {
	dir = strings.TrimSpace(dir)
	if dir == "" {
		dir = r.allowed[0]
	}
	if dir == "~" || strings.HasPrefix(dir, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("expand %s: %w", dir, err)
		}
		dir = filepath.Join(home, strings.TrimPrefix(dir, "~"))
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(r.allowed[0], dir)
	}
	real, err := realDir(dir)
	if err != nil {
		return nil, err
	}
	if !r.contains(real) {
		return nil, refuse(RuleOutsideRoots, real, "allowed roots: %s", strings.Join(r.allowed, ", "))
	}
	if err := r.checkBlockedRoot(real); err != nil {
		return nil, err
	}
	return r.cached(real)
}

// checkBlockedRoot refuses a workspace that is a blocked directory (or lies
// inside one) of an allowed root: opened as a root, .git or node_modules
// would make its contents ordinary, readable files.
func (r *Roots) checkBlockedRoot(real string) error {
	for _, a := range r.allowed {
		if !within(a, real) {
			continue
		}
		rel, _ := filepath.Rel(a, real)
		if g, blocked := r.blocked.Match(filepath.ToSlash(rel)); blocked {
			return refuse(RuleBlocked, real, "the workspace lies in a blocked directory (glob %q) of allowed root %s", g, a)
		}
	}
	return nil
}

// ByID finds a workspace by id among those opened and the allowed roots.
func (r *Roots) ByID(id string) (*Workspace, bool) {
	r.mu.Lock()
	for _, w := range r.opened {
		if w.ID == id {
			r.mu.Unlock()
			return w, true
		}
	}
	r.mu.Unlock()
	for _, a := range r.allowed {
		if ID(a) == id {
			w, err := r.cached(a)
			return w, err == nil
		}
	}
	return nil, false
}

func (r *Roots) cached(real string) (*Workspace, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if w, ok := r.opened[real]; ok {
		return w, nil
	}
	w, err := open(real, r.blocked, r.limits)
	if err != nil {
		return nil, err
	}
	r.opened[real] = w
	return w, nil
}

// Close releases every opened workspace.
func (r *Roots) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, w := range r.opened {
		w.Close()
		delete(r.opened, k)
	}
}

func (r *Roots) contains(real string) bool {
	for _, a := range r.allowed {
		if within(a, real) {
			return true
		}
	}
	return false
}

// within reports whether child is parent or below it. Only an exact ".."
// segment escapes, so names like "..data" are ordinary children.
func within(parent, child string) bool {
	rel, err := filepath.Rel(parent, child)
	if err != nil || filepath.IsAbs(rel) {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func realDir(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", p, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("directory does not exist: %s", abs)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("stat %s: %w", real, err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("not a directory: %s", real)
	}
	return real, nil
}
