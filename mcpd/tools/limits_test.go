package tools

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"codexpro.dev/mcpd/toolkit"
)

// allocated is how many bytes the heap handed out while f ran (TotalAlloc,
// which counts every allocation, freed or not): the bound on what a call
// can make the server hold at once.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// callMeasured runs a tool by name and reports what the call allocated; the
// catalog lookup happens before, outside the measurement.
func callMeasured(t *testing.T, e *toolkit.Env, name string, args map[string]any) (*mcp.CallToolResult, uint64) {
	t.Helper()
	for _, tl := range All() {
		if tl.Name == name {
			var r *mcp.CallToolResult
			got := allocated(func() { r = toolkit.Call(context.Background(), e, tl, args) })
			return r, got
		}
	}
	t.Fatalf("no tool %q in the catalog", name)
	return nil, 0
}

// mustStayUnder fails when a call allocated more than factor times limit.
func mustStayUnder(t *testing.T, what string, got uint64, factor int, limit int64) {
	t.Helper()
	if got > uint64(factor)*uint64(limit) {
		t.Fatalf("%s allocated %d bytes, more than %d x the %d-byte limit", what, got, factor, limit)
	}
	t.Logf("%s allocated %d bytes (%.1f x the limit)", what, got, float64(got)/float64(limit))
}

// TestEditGrowthRefusedBeforeAllocation is issue 14 class 4: replace_all of
// a one-byte old_text by a 100 KB new_text on a near-limit file would build
// tens of gigabytes; it is refused from the count before strings.Replace.
func TestEditGrowthRefusedBeforeAllocation(t *testing.T) {
	content := strings.Repeat("x\n", 450_000)
	e, root := newTestEnv(t, map[string]string{"big.txt": content})
	limit := e.Cfg.MaxWriteBytes
	args := map[string]any{"path": "big.txt", "old_text": "x", "new_text": strings.Repeat("y", 100_000), "replace_all": true}
	r, got := callMeasured(t, e, "edit", args)
	txt := resultText(r)
	if !strings.Contains(txt, "CODEXPRO_MAX_WRITE_BYTES") || !strings.Contains(txt, "450000 replacement") {
		t.Fatalf("edit was not refused naming the count and the setting: %s", txt)
	}
	mustStayUnder(t, "refused edit", got, 8, limit)
	fileIs(t, root, "big.txt", content)
}

// TestWriteLimits: content over the write cap is refused, and a rewrite of
// a large file (within the cap) stays within a small multiple of it: the
// diff it returns is bounded before it is computed, not cut afterwards.
func TestWriteLimits(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"big.txt": strings.Repeat("old line of the file\n", 45_000)})
	limit := e.Cfg.MaxWriteBytes
	over := strings.Repeat("z", int(limit)+1)
	r, got := callMeasured(t, e, "write", map[string]any{"path": "n.txt", "content": over})
	txt := resultText(r)
	if !strings.Contains(txt, "too large") || !strings.Contains(txt, "CODEXPRO_MAX_WRITE_BYTES") {
		t.Fatalf("oversized write was not refused naming the setting: %s", txt)
	}
	mustStayUnder(t, "refused write", got, 8, limit)
	if _, err := os.Stat(filepath.Join(root, "n.txt")); err == nil {
		t.Fatal("the refused write created the file")
	}
	// The handler alone: argument decoding (about 8 x a 1 MB argument) is
	// the transport's, the same for every tool.
	rewrite := strings.Repeat("new line, other text\n", 45_000)
	in := writeIn{Path: "big.txt", Content: rewrite}
	if err := in.Resolve(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	var out writeOut
	var err error
	got = allocated(func() { out, _, err = writeFile(context.Background(), e, in) })
	if err != nil {
		t.Fatal(err)
	}
	mustStayUnder(t, "large rewrite", got, 8, limit)
	if out.Additions != 45000 || out.Deletions != 45000 || !strings.Contains(out.Diff, "diff omitted") {
		t.Fatalf("large rewrite result = +%v -%v %q", out.Additions, out.Deletions, out.Diff)
	}
}

// TestPatchLimits: a patch that would make one file larger than the write
// cap, or many copies of a large file, is refused before any file is read
// or built.
func TestPatchLimits(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"big.txt": strings.Repeat("line of the big file\n", 45_000)})
	limit := e.Cfg.MaxWriteBytes
	var copies strings.Builder
	for i := range 40 {
		fmt.Fprintf(&copies, "diff --git a/big.txt b/c%d.txt\nsimilarity index 100%%\ncopy from big.txt\ncopy to c%d.txt\n", i, i)
	}
	r, got := callMeasured(t, e, "apply_patch", map[string]any{"patch": copies.String()})
	txt := resultText(r)
	if !strings.Contains(txt, "together") || !strings.Contains(txt, "CODEXPRO_MAX_WRITE_BYTES") {
		t.Fatalf("40 copies of a 945 KB file were not refused: %s", txt)
	}
	mustStayUnder(t, "refused copies", got, 4, limit)
	if _, err := os.Stat(filepath.Join(root, "c0.txt")); err == nil {
		t.Fatal("a refused copy was written")
	}
	grow := "diff --git a/big.txt b/big.txt\n--- a/big.txt\n+++ b/big.txt\n@@ -1,0 +2,2 @@\n+" + strings.Repeat("g", 60_000) + "\n+" + strings.Repeat("h", 60_000) + "\n"
	r, got = callMeasured(t, e, "apply_patch", map[string]any{"patch": grow})
	txt = resultText(r)
	if !strings.Contains(txt, "big.txt up to") || !strings.Contains(txt, "CODEXPRO_MAX_WRITE_BYTES") {
		t.Fatalf("a patch growing big.txt past the cap was not refused: %s", txt)
	}
	mustStayUnder(t, "refused growth", got, 4, limit)
}

// TestReadRangeRefusedBeforeAllocation: a range of many short lines grows
// tenfold when numbered; it is refused from its computed size, before the
// numbered text is built.
func TestReadRangeRefusedBeforeAllocation(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{"lines.txt": strings.Repeat("\n", 700_000)})
	limit := e.Cfg.MaxReadBytes
	r, got := callMeasured(t, e, "read", map[string]any{"path": "lines.txt", "start_line": 1, "end_line": 700_000})
	txt := resultText(r)
	if !strings.Contains(txt, "too large") || !strings.Contains(txt, "CODEXPRO_MAX_READ_BYTES") {
		t.Fatalf("a numbered range over the read limit was not refused: %s", txt)
	}
	// The file itself (up to 4 x the limit for a ranged read) is read once.
	mustStayUnder(t, "refused read", got, 6, limit)
}

// TestSearchOutputBounded: matches stop at CODEXPRO_MAX_OUTPUT_BYTES while
// the engine runs, not after every match of max_results was collected.
func TestSearchOutputBounded(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("f%02d.txt", i)] = strings.Repeat("needle "+strings.Repeat("w", 1000)+"\n", 60)
	}
	e, _ := newTestEnv(t, files)
	e.Cfg.MaxSearchResults = 2000
	limit := e.Cfg.MaxOutputBytes
	res, got := callMeasured(t, e, "search", map[string]any{"query": "needle", "max_results": 2000})
	txt, r := resultText(res), mustOK(t, res)
	if r["truncated"] != true || !strings.Contains(txt, "CODEXPRO_MAX_OUTPUT_BYTES") || int64(len(txt)) > limit+1000 {
		t.Fatalf("search output not bounded by the output cap: truncated=%v, %d bytes", r["truncated"], len(txt))
	}
	mustStayUnder(t, "bounded search", got, 24, limit)
}
