package search

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEngineJudgesEachVersionOfAFile: an Engine keeps whole-file
// judgements between searches, by the file's content: a file rewritten in
// place at the same size is judged as it now is, whichever way it changed.
// A value on the line after "api_key:" is no hit at all (its redacted line
// does not match), the same value after a harmless name is.
func TestEngineJudgesEachVersionOfAFile(t *testing.T) {
	dir := t.TempDir()
	value := "zQ" + strings.Repeat("x7Lp", 8)
	plain, keyed := "nokey_x:\n  "+value+"\n", "api_key:\n  "+value+"\n"
	w := openWorkspace(t, dir)
	eng := NewEngine()
	for i, c := range []struct {
		content string
		hits    int
	}{{plain, 1}, {keyed, 0}, {plain, 1}, {keyed, 0}} {
		if err := os.WriteFile(filepath.Join(dir, "cfg.yaml"), []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := eng.Search(context.Background(), w, Options{Query: "x7Lp", CaseSensitive: true, MaxResults: 10, MaxFileBytes: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Matches) != c.hits {
			t.Fatalf("version %d (%q): %d hits %v, want %d", i, c.content, len(r.Matches), r.Matches, c.hits)
		}
	}
}
