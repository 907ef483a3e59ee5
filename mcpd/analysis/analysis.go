// Package analysis maps a workspace for the model: languages, project
// types, entrypoints, areas, every file's role, declarations (Go,
// TypeScript/JavaScript, Python) and import relationships between files.
// inspect_workspace shows the map; search_analysis and the change impact of
// show_changes rank and group by it.
//
// It guarantees: files are listed and read only through the workspace guard
// (blocked and temporary entries are never listed or opened, symlinks are
// never followed); it never lists more than 20,000 files, reads more
// than 5,000 or 64 MiB in all, or keeps more than 100,000 symbols and
// 250,000 relationships, and says so in Coverage when a limit cut it short.
// A Cache rereads only files whose stat stamp changed, so an unchanged tree
// costs one walk with lstat and a warm answer equals a cold one. Extraction
// is line-based, not a parser: a declaration it misses is absent, never
// invented.
package analysis

import (
	"context"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"codexpro.dev/mcpd/internal/filestamp"
	"codexpro.dev/pkg/workspace"
)

// Analysis limits (CodexPro 0.30's defaults for CODEXPRO_ANALYSIS_*).
// MaxFiles, MaxSymbols and MaxRelationships also bound what a caller may
// ask to see.
const (
	MaxFiles         = 20_000
	maxAnalyzedFiles = 5_000
	maxScannedBytes  = 64 << 20
	MaxSymbols       = 100_000
	MaxRelationships = 250_000
)

// Map is the whole-workspace analysis; inspect_workspace filters it.
type Map struct {
	Key           string
	Languages     []LanguageCount
	ProjectTypes  []string
	Entrypoints   []string
	Important     []string
	Areas         []Area
	Files         []FileSummary
	Symbols       []Symbol
	Relationships []Relationship
	Coverage      Coverage
}

type LanguageCount struct {
	Language string `json:"language"`
	Files    int    `json:"files"`
}

type Area struct {
	Path  string `json:"path"`
	Role  string `json:"role"`
	Files int    `json:"files"`
}

type FileSummary struct {
	Path       string `json:"path"`
	Bytes      int64  `json:"bytes"`
	ModifiedMs int64  `json:"modifiedMs"`
	Language   string `json:"language"`
	Role       string `json:"role"`
	Generated  bool   `json:"generated"`
	Entrypoint bool   `json:"entrypoint"`
}

type Relationship struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Kind       string `json:"kind"`
	Confidence string `json:"confidence"`
	Source     string `json:"source"`
}

type Coverage struct {
	InventoryFiles    int      `json:"inventoryFiles"`
	AnalyzedFiles     int      `json:"analyzedFiles"`
	ScannedBytes      int64    `json:"scannedBytes"`
	SymbolCount       int      `json:"symbolCount"`
	RelationshipCount int      `json:"relationshipCount"`
	Truncated         bool     `json:"truncated"`
	Warnings          []string `json:"warnings"`
}

type walkedFile struct {
	rel   string
	stamp filestamp.Stamp
}

// Map maps the workspace and reports whether the answer came from the cache
// unchanged. Only files whose stamp changed since the last call are read, at
// most readLimit*4 bytes each (and never more than 2 MB); an unchanged tree
// costs one directory walk with lstat.
func (c *Cache) Map(ctx context.Context, w *workspace.Workspace, readLimit int64) (*Map, bool, error) {
	a := c.forWorkspace(w.ID)
	a.mu.Lock()
	defer a.mu.Unlock()
	files, truncated, err := a.walk(ctx, w)
	if err != nil {
		return nil, false, err
	}
	key := treeFingerprint(files)
	if a.last != nil && a.lastKey == key {
		return a.last, true, nil
	}
	cov := Coverage{InventoryFiles: len(files), Truncated: truncated, Warnings: []string{}}
	if truncated {
		cov.Warnings = append(cov.Warnings, fmt.Sprintf("Inventory truncated at %d files.", MaxFiles))
	}
	entries := c.refresh(ctx, w, a, files, &cov, min(2_000_000, readLimit*4))
	m := assemble(files, entries, cov)
	m.Key = w.ID + ":" + key
	a.last, a.lastKey = m, key
	return m, false, nil
}

// refresh brings the per-file cache in line with the walk and returns the
// entries in walk order. The scan budget counts cached scans too, so a warm
// result equals a cold one.
func (c *Cache) refresh(ctx context.Context, w *workspace.Workspace, a *wsAnalysis, files []walkedFile, cov *Coverage, scanLimit int64) []*fileEntry {
	present := make(map[string]bool, len(files))
	out := make([]*fileEntry, len(files))
	budgetHit, skippedChanged := false, 0
	for i, f := range files {
		present[f.rel] = true
		ent := a.files[f.rel]
		if ent == nil || ent.stamp != f.stamp {
			lang := LanguageOf(f.rel)
			ent = &fileEntry{stamp: f.stamp, lang: lang, role: roleOf(f.rel, lang)}
			a.files[f.rel] = ent
		}
		out[i] = ent
		if !wantsScan(f.rel, ent) {
			continue
		}
		if cov.AnalyzedFiles >= maxAnalyzedFiles || cov.ScannedBytes+f.stamp.Size > maxScannedBytes {
			budgetHit = true
			continue
		}
		if !ent.scanned && ctx.Err() == nil {
			c.scanFile(w, f.rel, ent, scanLimit)
			if ent.skip == "unreadable" {
				skippedChanged++
			}
		}
		if ent.scanned {
			cov.AnalyzedFiles++
			cov.ScannedBytes += f.stamp.Size
		}
	}
	for rel := range a.files {
		if !present[rel] {
			delete(a.files, rel)
		}
	}
	if budgetHit {
		cov.Truncated = true
		cov.Warnings = append(cov.Warnings, "Source analysis reached its file or byte limit.")
	}
	if skippedChanged > 0 {
		cov.Warnings = append(cov.Warnings, fmt.Sprintf("Skipped %d source file(s) that changed or became unreadable during analysis.", skippedChanged))
	}
	return out
}

func wantsScan(rel string, ent *fileEntry) bool {
	if ent.skip != "" {
		return false
	}
	if path.Base(rel) == "go.mod" {
		return true
	}
	return ent.role != "generated" && (ent.lang == "go" || ent.lang == "typescript" || ent.lang == "javascript" || ent.lang == "python")
}

func (c *Cache) scanFile(w *workspace.Workspace, rel string, ent *fileEntry, limit int64) {
	c.reads.Add(1)
	data, _, err := w.ReadFile(rel, limit)
	switch workspace.RuleOf(err) {
	case "":
	case workspace.RuleBinary, workspace.RuleTooLarge:
		ent.skip = workspace.RuleOf(err)
		return
	default:
		ent.skip = "unreadable"
		return
	}
	if err != nil {
		ent.skip = "unreadable"
		return
	}
	if path.Base(rel) == "go.mod" {
		ent.scan = scanGoMod(data)
	} else {
		ent.scan = scanSource(rel, ent.lang, data)
	}
	ent.scanned = true
}

// assemble builds the map from cached entries; it reads nothing.
func assemble(files []walkedFile, entries []*fileEntry, cov Coverage) *Map {
	m := &Map{ProjectTypes: []string{}, Entrypoints: []string{}, Important: []string{}}
	langs := map[string]int{}
	types := map[string]bool{}
	areas := map[string]map[string]int{}
	idx := newImportIndex(files, entries)
	for i, f := range files {
		ent := entries[i]
		if ent.lang != "" {
			langs[ent.lang]++
		}
		base := strings.ToLower(path.Base(f.rel))
		if t, ok := projectManifests[base]; ok && ent.role != "generated" && ent.role != "test" {
			types[t] = true
		}
		entry := isEntrypoint(f.rel) && ent.role != "test" && ent.role != "generated"
		if entry {
			m.Entrypoints = append(m.Entrypoints, f.rel)
		}
		if isImportantFile(f.rel, ent.role) && strings.Count(f.rel, "/") <= 1 {
			m.Important = append(m.Important, f.rel)
		}
		area := "."
		if j := strings.IndexByte(f.rel, '/'); j > 0 {
			area = f.rel[:j]
		}
		if areas[area] == nil {
			areas[area] = map[string]int{}
		}
		areas[area][ent.role]++
		m.Files = append(m.Files, FileSummary{Path: f.rel, Bytes: f.stamp.Size, ModifiedMs: f.stamp.MtimeNs / 1e6,
			Language: ent.lang, Role: ent.role, Generated: ent.role == "generated", Entrypoint: entry})
		m.addScan(f.rel, ent, idx, &cov)
	}
	m.Languages = languageCounts(langs)
	m.ProjectTypes = sortedKeys(types)
	m.Areas = areaList(areas)
	cov.SymbolCount, cov.RelationshipCount = len(m.Symbols), len(m.Relationships)
	m.Coverage = cov
	return m
}

func (m *Map) addScan(rel string, ent *fileEntry, idx *importIndex, cov *Coverage) {
	if !ent.scanned {
		return
	}
	for _, s := range ent.scan.symbols {
		if len(m.Symbols) >= MaxSymbols {
			if !slices.Contains(cov.Warnings, symbolLimitWarning) {
				cov.Truncated = true
				cov.Warnings = append(cov.Warnings, symbolLimitWarning)
			}
			break
		}
		m.Symbols = append(m.Symbols, s)
	}
	kind := "imports"
	if ent.role == "test" {
		kind = "tests"
	}
	seen := map[string]bool{}
	for _, spec := range ent.scan.imports {
		to := idx.resolve(rel, ent.lang, spec)
		if to == "" || to == rel || seen[to] || len(m.Relationships) >= MaxRelationships {
			continue
		}
		seen[to] = true
		m.Relationships = append(m.Relationships, Relationship{From: rel, To: to, Kind: kind, Confidence: "strong", Source: "built-in import extraction"})
	}
}

const symbolLimitWarning = "Symbol extraction reached its configured limit."

func languageCounts(langs map[string]int) []LanguageCount {
	out := make([]LanguageCount, 0, len(langs))
	for l, n := range langs {
		out = append(out, LanguageCount{l, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Files != out[j].Files {
			return out[i].Files > out[j].Files
		}
		return out[i].Language < out[j].Language
	})
	return out
}

func areaList(areas map[string]map[string]int) []Area {
	out := make([]Area, 0, len(areas))
	for p, roles := range areas {
		a := Area{Path: p}
		best := 0
		for r, n := range roles {
			a.Files += n
			if n > best || (n == best && r < a.Role) {
				a.Role, best = r, n
			}
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
