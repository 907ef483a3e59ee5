package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestWriteFile(t *testing.T) {
	ws, root, outside := fixture(t)
	must(t, os.WriteFile(filepath.Join(root, "script.sh"), []byte("old"), 0o755))

	if _, err := ws.WriteFile("new/dir/file.txt", []byte("one"), 0); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "new/dir/file.txt")); string(b) != "one" {
		t.Fatalf("new file = %q", b)
	}
	if _, err := ws.WriteFile("script.sh", []byte("new"), 0); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(filepath.Join(root, "script.sh"))
	if fi.Mode().Perm() != 0o755 {
		t.Fatalf("mode after overwrite = %v; want 0755 kept", fi.Mode().Perm())
	}
	refused := map[string]string{
		"inlink":                RuleWriteThroughSymlink,
		"envlink":               RuleWriteThroughSymlink,
		"outfile":               RuleWriteThroughSymlink,
		"out/new.txt":           RuleSymlinkEscape,
		"../outside/x.txt":      RuleEscape,
		"/tmp/x.txt":            RuleEscape,
		".env":                  RuleBlocked,
		".git/hooks/pre-commit": RuleBlocked,
		"node_modules/x.js":     RuleBlocked,
		"gitlink/hooks/x":       RuleBlocked,
		"src":                   RuleNotFile,
		".":                     RuleNotFile,
	}
	for p, rule := range refused {
		if _, err := ws.WriteFile(p, []byte("evil"), 0); RuleOf(err) != rule {
			t.Errorf("WriteFile(%q) = %v; want rule %s", p, err, rule)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "secret.txt")); string(b) != "OUTSIDE-SECRET" {
		t.Fatal("outside file changed")
	}
	assertNoTemp(t, root)
}

func TestConcurrentWritesSerialize(t *testing.T) {
	ws, root, _ := fixture(t)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			unlock := ws.Lock("same.txt")
			defer unlock()
			_, err := ws.WriteFile("same.txt", []byte(strings.Repeat(string(rune('a'+i)), 100000)), 0)
			if err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	b, _ := os.ReadFile(filepath.Join(root, "same.txt"))
	if len(b) != 100000 || strings.Count(string(b), string(b[0])) != len(b) {
		t.Fatalf("torn file: %d bytes, first %q", len(b), b[:1])
	}
	assertNoTemp(t, root)
}

func assertNoTemp(t *testing.T, root string) {
	t.Helper()
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && IsTempName(d.Name()) {
			t.Errorf("temp file left behind: %s", p)
		}
		return nil
	})
}
