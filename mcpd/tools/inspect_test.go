package tools

import (
	"context"
	"encoding/json"
	gobuild "go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/analysis"
	"codexpro.dev/mcpd/internal/wstest"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

func repoFixture() map[string]string {
	return map[string]string{
		"go.mod":                    "module example.com/app\n\ngo 1.26\n",
		"main.go":                   "package main\n\nimport (\n\t\"fmt\"\n\tx \"example.com/app/internal/x\"\n)\n\nfunc main() { fmt.Println(x.Exported()) }\n",
		"internal/x/x.go":           "package x\n\n// Exported is used by main.\nfunc Exported() int { return inner() }\n\nfunc inner() int { return 1 }\n\ntype Thing struct{}\n\nfunc (Thing) Method() {}\n",
		"internal/x/x_test.go":      "package x_test\n\nimport \"example.com/app/internal/x\"\n\nfunc TestX() { x.Exported() }\n",
		"package.json":              `{"name":"web"}`,
		"src/index.ts":              "import { helper } from './util';\nexport const run = () => helper();\n",
		"src/util.ts":               "export function helper(): number { return 1 }\nexport interface Opts { a: number }\nclass Hidden {}\n",
		"pkg/__init__.py":           "",
		"pkg/mod.py":                "from .helpers import a\n\ndef public():\n    return a\n\ndef _private():\n    pass\n",
		"pkg/helpers.py":            "a = 1\n\nclass Helper:\n    def go(self):\n        pass\n",
		"README.md":                 "# App\n",
		".env":                      "SECRET=1",
		"node_modules/lib/index.js": "function leaked() {}\n",
	}
}

func inspect(t *testing.T, e *toolkit.Env, args map[string]any) inspectOut {
	t.Helper()
	s := mustOK(t, callTool(t, e, "inspect_workspace", args))
	raw, _ := json.Marshal(s)
	var out inspectOut
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestInspectWorkspaceMap(t *testing.T) {
	e, _ := newTestEnv(t, repoFixture())
	out := inspect(t, e, nil)
	if strings.Join(out.ProjectTypes, ",") != "go,node" {
		t.Errorf("project types = %v", out.ProjectTypes)
	}
	if strings.Join(out.Entrypoints, ",") != "main.go,src/index.ts" {
		t.Errorf("entrypoints = %v", out.Entrypoints)
	}
	for _, f := range out.Files {
		if f.Path == ".env" || strings.HasPrefix(f.Path, "node_modules") {
			t.Errorf("blocked file %s inventoried", f.Path)
		}
	}
	syms := map[string]analysis.Symbol{}
	for _, s := range out.Symbols {
		syms[s.Name] = s
	}
	for name, want := range map[string]string{"Exported": "function true", "helper": "function true", "inner": "function false", "Thing": "type true",
		"Method": "method true", "Opts": "interface true", "Hidden": "class false", "public": "function true", "_private": "function false", "Helper": "class true"} {
		s, ok := syms[name]
		if got := s.Kind + " " + map[bool]string{true: "true", false: "false"}[s.Exported]; !ok || got != want {
			t.Errorf("symbol %s = %q (found %v), want %q", name, got, ok, want)
		}
	}
	if _, ok := syms["leaked"]; ok {
		t.Error("symbol from a blocked folder")
	}
	rels := map[string]string{}
	for _, r := range out.Relationships {
		rels[r.From+" -> "+r.To] = r.Kind
	}
	for edge, kind := range map[string]string{"main.go -> internal/x": "imports", "internal/x/x_test.go -> internal/x": "tests",
		"src/index.ts -> src/util.ts": "imports", "pkg/mod.py -> pkg/helpers.py": "imports"} {
		if rels[edge] != kind {
			t.Errorf("relationship %s = %q, want %q (all: %v)", edge, rels[edge], kind, rels)
		}
	}
}

func TestInspectWorkspaceCacheReadsNothingWhenUnchanged(t *testing.T) {
	e, root := newTestEnv(t, repoFixture())
	first := inspect(t, e, nil)
	readsCold := toolkit.State[analysis.Cache](e).Reads()
	if first.Cache.Hit || readsCold == 0 {
		t.Fatalf("cold call: hit=%v reads=%d", first.Cache.Hit, readsCold)
	}
	second := inspect(t, e, nil)
	if !second.Cache.Hit || toolkit.State[analysis.Cache](e).Reads() != readsCold {
		t.Fatalf("warm call on an unchanged tree: hit=%v, read %d more files", second.Cache.Hit, toolkit.State[analysis.Cache](e).Reads()-readsCold)
	}
	// A changed file is re-read, and only that one.
	p := filepath.Join(root, "src", "util.ts")
	if err := os.WriteFile(p, []byte("export function renamed() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	_ = os.Chtimes(p, future, future)
	third := inspect(t, e, nil)
	if third.Cache.Hit || toolkit.State[analysis.Cache](e).Reads() != readsCold+1 {
		t.Fatalf("after one change: hit=%v, read %d files, want 1", third.Cache.Hit, toolkit.State[analysis.Cache](e).Reads()-readsCold)
	}
	found := false
	for _, s := range third.Symbols {
		found = found || s.Name == "renamed"
	}
	if !found {
		t.Fatal("changed file's new symbol missing")
	}
	// Entries added to a listed folder show up; blocked ones still do not.
	wstest.WriteFile(t, filepath.Join(root, "src", "extra.ts"), "export class Added {}\n")
	wstest.WriteFile(t, filepath.Join(root, "src", ".env.local"), "TOKEN=x\n")
	fourth := inspect(t, e, nil)
	paths := map[string]bool{}
	for _, f := range fourth.Files {
		paths[f.Path] = true
	}
	if !paths["src/extra.ts"] || paths["src/.env.local"] {
		t.Fatalf("after adding files: extra.ts listed %v, .env.local listed %v", paths["src/extra.ts"], paths["src/.env.local"])
	}
}

func TestInspectWorkspaceLimitsAndPath(t *testing.T) {
	e, _ := newTestEnv(t, repoFixture())
	out := inspect(t, e, map[string]any{"path": "pkg", "max_symbols": 1})
	for _, f := range out.Files {
		if !strings.HasPrefix(f.Path, "pkg/") {
			t.Errorf("file %s outside path filter", f.Path)
		}
	}
	if len(out.Symbols) != 1 || !out.OutputLimited || !slices.Contains(out.Warnings, outputLimitedWarning) || out.Returned["symbols"] != 1 {
		t.Errorf("limit not applied: %d symbols, limited=%v, warnings=%v", len(out.Symbols), out.OutputLimited, out.Warnings)
	}
	mustFail(t, callTool(t, e, "inspect_workspace", map[string]any{"path": "../"}), "escapes")
	mustFail(t, callTool(t, e, "inspect_workspace", map[string]any{"max_files": 0.5}), "Invalid arguments")
}

// goSourceCopy copies $(go env GOROOT)/src once per benchmark run.
func goSourceCopy(b *testing.B) string {
	b.Helper()
	src := filepath.Join(gobuild.Default.GOROOT, "src")
	if _, err := os.Stat(src); err != nil {
		b.Skip("GOROOT/src not available")
	}
	dst := b.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, 0o644)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	flushWrites()
	return dst
}

// envAt is newTestEnv for an existing tree, usable from benchmarks.
func envAt(tb testing.TB, root string) *toolkit.Env {
	tb.Helper()
	bl, err := workspace.NewBlocklist(nil)
	if err != nil {
		tb.Fatal(err)
	}
	roots, err := workspace.NewRoots([]string{root}, bl, workspace.Limits{MaxReadBytes: 180000})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(roots.Close)
	return &toolkit.Env{Cfg: defaultTestConfig(), Roots: roots, Redact: testRedactor{}, Log: zerolog.Nop()}
}

// BenchmarkInspectWorkspaceCold analyses Go's source tree with an empty
// cache each time: every source file is read and scanned.
func BenchmarkInspectWorkspaceCold(b *testing.B) {
	root := goSourceCopy(b)
	b.ResetTimer()
	for b.Loop() {
		e := envAt(b, root)
		benchInspect(b, e)
	}
}

// BenchmarkInspectWorkspaceWarm repeats the call on the unchanged tree: a
// walk with lstat and no file reads.
func BenchmarkInspectWorkspaceWarm(b *testing.B) {
	root := goSourceCopy(b)
	e := envAt(b, root)
	benchInspect(b, e)
	reads := toolkit.State[analysis.Cache](e).Reads()
	b.ResetTimer()
	for b.Loop() {
		benchInspect(b, e)
	}
	if toolkit.State[analysis.Cache](e).Reads() != reads {
		b.Fatalf("warm calls read %d files", toolkit.State[analysis.Cache](e).Reads()-reads)
	}
}

func benchInspect(b *testing.B, e *toolkit.Env) {
	r := toolkit.Call(context.Background(), e, InspectWorkspaceTool(), map[string]any{})
	if r.IsError {
		b.Fatal(resultText(r))
	}
}
