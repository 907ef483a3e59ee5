package tools

import (
	"context"
	"fmt"
	"strings"

	"codexpro.dev/mcpd/analysis"
	"codexpro.dev/mcpd/toolkit"
)

type inspectIn struct {
	toolkit.WorkspaceArg
	Path                 string `json:"path,omitempty" jsonschema:"Only report files, symbols and relationships under this path"`
	MaxFiles             int    `json:"max_files,omitempty" jsonschema:"Most files to return (1 to 20000; default 300)"`
	IncludeSymbols       *bool  `json:"include_symbols,omitempty" jsonschema:"Include declarations (default true)"`
	IncludeRelationships *bool  `json:"include_relationships,omitempty" jsonschema:"Include import relationships (default true)"`
	MaxSymbols           int    `json:"max_symbols,omitempty" jsonschema:"Most symbols to return (1 to 100000; default 500)"`
	MaxRelationships     int    `json:"max_relationships,omitempty" jsonschema:"Most relationships to return (1 to 250000; default 800)"`
}

type inspectOut struct {
	SchemaVersion  int                      `json:"schema_version"`
	WorkspaceID    string                   `json:"workspace_id"`
	Root           string                   `json:"root"`
	Path           string                   `json:"path"`
	Languages      []analysis.LanguageCount `json:"languages"`
	ProjectTypes   []string                 `json:"project_types"`
	Entrypoints    []string                 `json:"entrypoints"`
	ImportantFiles []string                 `json:"important_files"`
	Areas          []analysis.Area          `json:"areas"`
	Files          []analysis.FileSummary   `json:"files"`
	Symbols        []analysis.Symbol        `json:"symbols"`
	Relationships  []analysis.Relationship  `json:"relationships"`
	Coverage       analysis.Coverage        `json:"coverage"`
	Warnings       []string                 `json:"warnings"`
	OutputLimited  bool                     `json:"output_limited"`
	Returned       map[string]int           `json:"returned"`
	Cache          cacheInfo                `json:"cache"`
}

type cacheInfo struct {
	Hit bool   `json:"hit"`
	Key string `json:"key"`
}

const outputLimitedWarning = "Structured output was limited. Use path or max_* arguments to request a narrower or larger result."

// InspectWorkspaceTool returns a bounded map of the repository. The
// analysis is cached per file by (size, mtime, inode): a repeat call on an
// unchanged tree reads no file content.
func InspectWorkspaceTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "inspect_workspace", Title: "Inspect workspace", Kind: toolkit.ReadOnly, Sets: toolkit.Standard | toolkit.Full, Traits: toolkit.NeedsAnalysis,
		Description: "Map the repository: languages, project types, entrypoints, important files, areas, " +
			"declarations (Go, TypeScript, JavaScript, Python) and import relationships. Bounded; use path and max_* to focus.",
	}, inspectWorkspace)
}

func inspectWorkspace(ctx context.Context, e *toolkit.Env, in inspectIn) (inspectOut, string, error) {
	w := in.Workspace()
	prefix := "."
	if in.Path != "" {
		var err error
		if prefix, err = w.Resolve(in.Path); err != nil {
			return inspectOut{}, "", err
		}
	}
	maxFiles, err1 := intArg("max_files", in.MaxFiles, 300, 1, analysis.MaxFiles)
	maxSyms, err2 := intArg("max_symbols", in.MaxSymbols, 500, 1, analysis.MaxSymbols)
	maxRels, err3 := intArg("max_relationships", in.MaxRelationships, 800, 1, analysis.MaxRelationships)
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			return inspectOut{}, "", err
		}
	}
	m, hit, err := toolkit.State[analysis.Cache](e).Map(ctx, w, e.Cfg.MaxReadBytes)
	if err != nil {
		return inspectOut{}, "", err
	}
	out := inspectOut{SchemaVersion: 1, WorkspaceID: w.ID, Root: w.Root, Path: prefix, Languages: m.Languages,
		ProjectTypes: m.ProjectTypes, Entrypoints: nonNil(m.Entrypoints), ImportantFiles: nonNil(m.Important), Areas: m.Areas,
		Coverage: m.Coverage, Warnings: append([]string{}, m.Coverage.Warnings...), Cache: cacheInfo{hit, m.Key}}
	under := func(p string) bool { return prefix == "." || p == prefix || strings.HasPrefix(p, prefix+"/") }
	var limited [3]bool
	out.Files, limited[0] = filterLimit(m.Files, maxFiles, func(f analysis.FileSummary) bool { return under(f.Path) })
	out.Symbols, out.Relationships = []analysis.Symbol{}, []analysis.Relationship{}
	if boolArg(in.IncludeSymbols, true) {
		out.Symbols, limited[1] = filterLimit(m.Symbols, maxSyms, func(s analysis.Symbol) bool { return under(s.Path) })
	}
	if boolArg(in.IncludeRelationships, true) {
		out.Relationships, limited[2] = filterLimit(m.Relationships, maxRels, func(r analysis.Relationship) bool { return under(r.From) || under(r.To) })
	}
	out.OutputLimited = limited[0] || limited[1] || limited[2]
	if out.OutputLimited {
		out.Warnings = append(out.Warnings, outputLimitedWarning)
	}
	out.Returned = map[string]int{"files": len(out.Files), "symbols": len(out.Symbols), "relationships": len(out.Relationships)}
	return out, inspectText(out), nil
}

// filterLimit keeps up to max items that pass keep, and says whether more passed.
func filterLimit[T any](items []T, max int, keep func(T) bool) ([]T, bool) {
	out := []T{}
	for _, it := range items {
		if !keep(it) {
			continue
		}
		if len(out) == max {
			return out, true
		}
		out = append(out, it)
	}
	return out, false
}

func inspectText(o inspectOut) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Workspace Map\n\nRoot: %s\nPath: %s\nFiles: %d inventoried, %d analyzed\n", o.Root, o.Path, o.Coverage.InventoryFiles, o.Coverage.AnalyzedFiles)
	langs := make([]string, 0, len(o.Languages))
	for _, l := range o.Languages {
		langs = append(langs, fmt.Sprintf("%s (%d)", l.Language, l.Files))
	}
	fmt.Fprintf(&b, "Languages: %s\nProject types: %s\n", strings.Join(langs, ", "), strings.Join(o.ProjectTypes, ", "))
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n## %s\n", title)
		for _, it := range items[:min(len(items), 40)] {
			fmt.Fprintf(&b, "- %s\n", it)
		}
		if len(items) > 40 {
			fmt.Fprintf(&b, "- …and %d more\n", len(items)-40)
		}
	}
	list("Entrypoints", o.Entrypoints)
	list("Important files", o.ImportantFiles)
	areas := make([]string, len(o.Areas))
	for i, a := range o.Areas {
		areas[i] = fmt.Sprintf("%s — %s, %d files", a.Path, a.Role, a.Files)
	}
	list("Areas", areas)
	fmt.Fprintf(&b, "\nReturned: %d files, %d symbols, %d relationships (cache hit: %v)", len(o.Files), len(o.Symbols), len(o.Relationships), o.Cache.Hit)
	for _, w := range o.Warnings {
		fmt.Fprintf(&b, "\nWarning: %s", w)
	}
	return b.String()
}
