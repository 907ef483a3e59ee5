package workspace

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var knownRules = map[string]bool{
	RuleEscape: true, RuleSymlinkEscape: true, RuleBlocked: true, RuleTooLarge: true, RuleBinary: true,
	RuleNotFile: true, RuleNotDir: true, RuleNotFound: true, RuleWriteThroughSymlink: true,
	RuleInvalidPath: true, RuleOutsideRoots: true,
}

// FuzzResolve: whatever the input, Resolve either refuses with a known rule
// or returns a clean relative path, free of symlinks, not blocked, whose
// existing part really lies inside the root; Open never hands out a
// descriptor outside the root or on a blocked file.
func FuzzResolve(f *testing.F) {
	ws, root, _ := fixture(f)
	for _, seed := range []string{
		"README.md", "../outside/secret.txt", "src/../../outside/secret.txt", "/etc/passwd", root + "/README.md",
		root + "/../outside/secret.txt", "~", "~/x", "a\x00b", "..data/file.txt", "out/secret.txt", "outfile",
		"envlink", "gitlink/config", "dirlink/main.go", "abslink", "loop", "deep", ".ENV", "Node_Modules/x.js",
		"./.git/../.env", "sub/.ssh/id", "", ".", "..", "a/b/../../..", "inlink/../README.md", "dirlink/../.env",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		rel, err := ws.Resolve(input)
		if err != nil {
			var r *Refusal
			if !errors.As(err, &r) || !knownRules[r.Rule] {
				t.Fatalf("Resolve(%q): %v is not a refusal with a known rule", input, err)
			}
			return
		}
		checkResolved(t, ws, root, input, rel)
		f, orel, err := ws.Open(input)
		if err != nil {
			return
		}
		defer f.Close()
		real, rerr := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
		if rerr == nil && !within(root, real) {
			t.Fatalf("Open(%q) gave a descriptor on %s, outside %s", input, real, root)
		}
		if g, blocked := ws.Blocked(orel); blocked {
			t.Fatalf("Open(%q) opened %q, blocked by %s", input, orel, g)
		}
	})
}

func checkResolved(t *testing.T, ws *Workspace, root, input, rel string) {
	t.Helper()
	if rel != "." && (path.IsAbs(rel) || path.Clean(rel) != rel || rel == ".." || strings.HasPrefix(rel, "../")) {
		t.Fatalf("Resolve(%q) = %q: not a clean relative path", input, rel)
	}
	if g, blocked := ws.Blocked(rel); blocked {
		t.Fatalf("Resolve(%q) = %q, blocked by %s", input, rel, g)
	}
	cur := root
	for _, seg := range segments(rel) {
		cur = filepath.Join(cur, seg)
		fi, err := os.Lstat(cur)
		if err != nil {
			return // the rest does not exist yet (a file to be created)
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			t.Fatalf("Resolve(%q) = %q still goes through the symlink %s", input, rel, cur)
		}
	}
	if real, err := filepath.EvalSymlinks(cur); err == nil && !within(root, real) {
		t.Fatalf("Resolve(%q) = %q lands on %s, outside %s", input, rel, real, root)
	}
}

// FuzzBlocklist: matching ignores ASCII letter case, and a blocked path
// blocks everything under it (an ancestor match always wins).
func FuzzBlocklist(f *testing.F) {
	b, err := NewBlocklist([]string{"secret/**", "*.bak", "conf/private.yml"})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		".env", ".ENV.local", "src/.Git/config", "Node_Modules/x", "a/b/server.KEY", "id_ed25519.pub", "x/.ssh",
		"..data/x", "secret/a", "SECRET", "notes.BAK", "conf/private.yml", "x/conf/PRIVATE.yml", "./.env", "a//b/../.env",
		"terraform.tfstate.backup", ".docker/config.json", "dist", "src/dist/x.js", "é/.env", "", ".", "/",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		_, blocked := b.Match(rel)
		for _, v := range []string{flipASCIICase(rel), asciiCase(rel, 'a'-'A'), asciiCase(rel, 0)} {
			if _, got := b.Match(v); got != blocked {
				t.Fatalf("Match(%q)=%v but Match(%q)=%v: case changes the answer", rel, blocked, v, got)
			}
		}
		if blocked {
			if _, got := b.Match(rel + "/child"); !got {
				t.Fatalf("%q is blocked but %q under it is not", rel, rel+"/child")
			}
		}
		clean := strings.Trim(path.Clean("/"+rel), "/")
		segs := strings.Split(clean, "/")
		for i := range segs {
			if _, anc := b.Match(strings.Join(segs[:i+1], "/")); anc && !blocked {
				t.Fatalf("ancestor %q of %q is blocked but %q is not", strings.Join(segs[:i+1], "/"), rel, rel)
			}
		}
	})
}

func flipASCIICase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - ('a' - 'A')
		case c >= 'A' && c <= 'Z':
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

// asciiCase lower-cases ASCII letters (shift 0) or upper-cases them (shift
// 'a'-'A'); other bytes stay, so non-ASCII names are compared as they are.
func asciiCase(s string, shift byte) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c >= 'a' && c <= 'z' {
			c -= shift
		}
		b[i] = c
	}
	return string(b)
}
