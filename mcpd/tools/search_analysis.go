package tools

import (
	"context"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"codexpro.dev/mcpd/analysis"
	"codexpro.dev/mcpd/search"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

// searchAnalysis is search's grouped view: each
// match classified as a definition, reference, test, configuration or
// documentation, using the cached repository map.
type searchAnalysis struct {
	SchemaVersion int                       `json:"schemaVersion"`
	Query         string                    `json:"query"`
	Intent        string                    `json:"intent"`
	Groups        map[string][]groupedMatch `json:"groups"`
	Matches       []groupedMatch            `json:"matches"`
	Coverage      analysis.Coverage         `json:"coverage"`
	Warnings      []string                  `json:"warnings"`
	Cache         cacheInfo                 `json:"cache"`
}

type groupedMatch struct {
	Path       string   `json:"path"`
	Line       int      `json:"line"`
	Text       string   `json:"text"`
	Group      string   `json:"group"`
	Score      int      `json:"score"`
	Reasons    []string `json:"reasons"`
	Confidence string   `json:"confidence"`
	Source     string   `json:"source"`
}

var (
	identifierRe = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)
	searchGroups = []string{"definitions", "references", "tests", "configuration", "documentation", "other"}
)

// classifyIntent: an explicit intent wins; a regex, spaces or quotes mean
// text; an identifier means symbol.
func classifyIntent(intent, query string, regex bool) string {
	switch {
	case intent != "" && intent != "auto":
		return intent
	case regex || strings.ContainsAny(query, " \t\"'`"):
		return "text"
	case identifierRe.MatchString(query):
		return "symbol"
	}
	return "text"
}

type searchAnalysisReq struct {
	query, intent string
	regex, tests  bool
	limit         int
}

func emptySearchAnalysis(q searchAnalysisReq, warning, key string) *searchAnalysis {
	a := &searchAnalysis{SchemaVersion: 1, Query: q.query, Intent: q.intent, Groups: map[string][]groupedMatch{},
		Matches: []groupedMatch{}, Warnings: []string{}, Cache: cacheInfo{Key: key}}
	for _, g := range searchGroups {
		a.Groups[g] = []groupedMatch{}
	}
	if warning != "" {
		a.Warnings = append(a.Warnings, warning)
		a.Coverage = analysis.Coverage{Truncated: true, Warnings: []string{warning}}
	}
	return a
}

// analyzeSearch groups the engine's matches. For references and impact it
// adds the files that import a file defining the symbol.
func analyzeSearch(ctx context.Context, e *toolkit.Env, w *workspace.Workspace, q searchAnalysisReq, matches []search.Match) *searchAnalysis {
	if !e.Cfg.Analysis {
		return emptySearchAnalysis(q, "Repository analysis is disabled by configuration.", "disabled")
	}
	m, hit, err := toolkit.State[analysis.Cache](e).Map(ctx, w, e.Cfg.MaxReadBytes)
	if err != nil {
		return emptySearchAnalysis(q, "Repository analysis unavailable: "+err.Error(), "unavailable")
	}
	a := emptySearchAnalysis(q, "", m.Key)
	a.Cache.Hit, a.Coverage = hit, m.Coverage
	if q.regex {
		a.Warnings = append(a.Warnings, "Grouped results are not computed for regex searches.")
		return a
	}
	roles := make(map[string]string, len(m.Files))
	for _, f := range m.Files {
		roles[f.Path] = f.Role
	}
	defs := map[string]bool{} // path:line of declarations named query
	defFiles := map[string]bool{}
	for _, s := range m.Symbols {
		if s.Name == q.query {
			defs[s.Path+":"+strconv.Itoa(s.Line)] = true
			defFiles[s.Path] = true
		}
	}
	var all []groupedMatch
	for _, mt := range matches {
		if g, ok := groupMatch(mt, roles[mt.Path], defs, q.tests); ok {
			all = append(all, g)
		}
	}
	if q.intent == "references" || q.intent == "impact" {
		all = append(all, dependents(m, defFiles, roles, q.tests)...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Score != all[j].Score {
			return all[i].Score > all[j].Score
		}
		if all[i].Path != all[j].Path {
			return all[i].Path < all[j].Path
		}
		return all[i].Line < all[j].Line
	})
	all = all[:min(len(all), q.limit)]
	a.Matches = all
	for _, g := range all {
		a.Groups[g.Group] = append(a.Groups[g.Group], g)
	}
	return a
}

func groupMatch(mt search.Match, role string, defs map[string]bool, tests bool) (groupedMatch, bool) {
	g := groupedMatch{Path: mt.Path, Line: mt.Line, Text: mt.Text, Score: 100, Confidence: "strong", Source: "text match"}
	switch {
	case defs[mt.Path+":"+strconv.Itoa(mt.Line)]:
		g.Group, g.Score, g.Reasons, g.Source = "definitions", 190, []string{"declaration of the symbol"}, "built-in symbol extraction"
	case role == "test":
		if !tests {
			return g, false
		}
		g.Group, g.Score, g.Reasons = "tests", 160, []string{"match in a test file"}
	case role == "config":
		g.Group, g.Reasons = "configuration", []string{"match in a configuration file"}
	case role == "docs":
		g.Group, g.Reasons = "documentation", []string{"match in documentation"}
	case role == "source":
		g.Group, g.Reasons = "references", []string{"use in source"}
	default:
		g.Group, g.Reasons, g.Confidence = "other", []string{"text match"}, "inferred"
	}
	return g, true
}

// dependents are files importing a file that defines the symbol (Go: its
// package directory).
func dependents(m *analysis.Map, defFiles map[string]bool, roles map[string]string, tests bool) []groupedMatch {
	targets := map[string]bool{}
	for p := range defFiles {
		targets[p] = true
		if strings.HasSuffix(p, ".go") {
			targets[path.Dir(p)] = true
		}
	}
	var out []groupedMatch
	seen := map[string]bool{}
	for _, r := range m.Relationships {
		if !targets[r.To] || seen[r.From] || defFiles[r.From] {
			continue
		}
		seen[r.From] = true
		g := groupedMatch{Path: r.From, Group: "references", Score: 165, Reasons: []string{"dependent module imports " + r.To},
			Confidence: "strong", Source: "built-in import extraction"}
		if roles[r.From] == "test" {
			if !tests {
				continue
			}
			g.Group, g.Score, g.Reasons = "tests", 170, []string{"dependent test imports " + r.To}
		}
		out = append(out, g)
	}
	return out
}
