package workspace

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
)

func securityDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../SECURITY.md")
	must(t, err)
	return string(b)
}

// TestSecurityDocListsTheBlocklist fails when SECURITY.md's blocked-path
// table is not what DefaultRules generates.
func TestSecurityDocListsTheBlocklist(t *testing.T) {
	doc := securityDoc(t)
	want, err := ReplaceGenerated(doc, BlocklistDoc())
	must(t, err)
	if doc != want {
		t.Fatal("SECURITY.md's blocked-path table differs from pkg/workspace DefaultRules: run `go generate ./workspace` in pkg and commit SECURITY.md")
	}
}

// documentedPatterns reads the patterns SECURITY.md claims are blocked, from
// the document itself rather than from the rules that generated it.
func documentedPatterns(t *testing.T) []string {
	doc := securityDoc(t)
	i, j := strings.Index(doc, DocBegin), strings.Index(doc, DocEnd)
	if i < 0 || j < i {
		t.Fatal("SECURITY.md has no generated blocked-path table")
	}
	var out []string
	for _, line := range strings.Split(doc[i:j], "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cells[1], -1) {
			out = append(out, m[1])
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d documented patterns found: %v", len(out), out)
	}
	return out
}

// TestEveryDocumentedPatternBlocks checks each pattern the document lists
// on names it covers (each '*' filled in two ways), at the root and deep
// down, in three letter cases, as a file and as a directory, through the
// matcher and through DefaultGlobs (what git and bash listings receive).
func TestEveryDocumentedPatternBlocks(t *testing.T) {
	bl, err := NewBlocklist(nil)
	must(t, err)
	globs := DefaultGlobs()
	for _, p := range documentedPatterns(t) {
		for _, fill := range []string{"", "_Work.1"} {
			name := strings.ReplaceAll(p, "*", fill)
			if strings.HasPrefix(p, "*") && fill == "" {
				name = "server" + name
			}
			for _, rel := range []string{name, "a/b/" + name, strings.ToUpper("deep/" + name), "x/" + mixCase(name) + "/child.txt"} {
				if _, ok := bl.Match(rel); !ok {
					t.Errorf("documented %q: %s is not blocked", p, rel)
				}
				if !anyGlob(globs, rel) {
					t.Errorf("documented %q: %s matches none of DefaultGlobs", p, rel)
				}
			}
		}
	}
}

func anyGlob(globs []string, rel string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(strings.ToLower(g), strings.ToLower(rel)); ok {
			return true
		}
	}
	return false
}

func mixCase(s string) string {
	b := []byte(s)
	for i := range b {
		if i%2 == 0 && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// TestBlocklistNamesTheDocumentMissed are the names the document promised
// and the matcher used to let through.
func TestBlocklistNamesTheDocumentMissed(t *testing.T) {
	bl, err := NewBlocklist(nil)
	must(t, err)
	for _, rel := range []string{".envrc", ".env-staging", "sub/.ENVRC", "id_rsa_work", "keys/ID_RSA_WORK", "id_ed25519_sk", "id_ecdsa_sk.pub", "app/.config/gh/hosts.yml", "putty.PPK"} {
		if _, ok := bl.Match(rel); !ok {
			t.Errorf("%s is readable", rel)
		}
	}
	for _, rel := range []string{"id_map.go", "pkg/ident/id.go", "environment.go", "src/env.go", ".config/git/config"} {
		if g, ok := bl.Match(rel); ok {
			t.Errorf("%s blocked by %q", rel, g)
		}
	}
}
