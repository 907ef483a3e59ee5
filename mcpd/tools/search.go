package tools

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"codexpro.dev/mcpd/search"
	"codexpro.dev/mcpd/toolkit"
)

type searchIn struct {
	toolkit.WorkspaceArg
	Query         string `json:"query" jsonschema:"Text to find (a literal unless regex is true); matches are within one line"`
	Regex         bool   `json:"regex,omitempty" jsonschema:"Treat query as an RE2 regular expression (no backreferences or lookaround; (?i) folds case); default false"`
	Path          string `json:"path,omitempty" jsonschema:"Directory or file to search, relative to the workspace root; default ."`
	Glob          string `json:"glob,omitempty" jsonschema:"Only files matching this glob, relative to path: *.go matches file names at any depth, src/**/*.ts and /*.go match paths, a leading ! excludes"`
	IncludeHidden bool   `json:"include_hidden,omitempty" jsonschema:"Also search dot files and dot directories; default false"`
	MaxResults    int    `json:"max_results,omitempty" jsonschema:"Most matching lines to return, 1 to 2000 (capped by the server's CODEXPRO_MAX_SEARCH_RESULTS, also the default)"`
	CaseSensitive *bool  `json:"case_sensitive,omitempty" jsonschema:"Match letter case exactly; default true"`
	Intent        string `json:"intent,omitempty" jsonschema:"auto, text, symbol, references or impact: adds analysis, the matches grouped into definitions, references, tests, configuration and documentation"`
	Symbol        string `json:"symbol,omitempty" jsonschema:"Identifier to find; replaces query when given"`
	IncludeTests  bool   `json:"include_tests,omitempty" jsonschema:"Include test files in analysis groups (the plain matches always include them)"`
}

type searchOut struct {
	WorkspaceID string         `json:"workspace_id"`
	Root        string         `json:"root"`
	Matches     []search.Match `json:"matches"`
	Truncated   bool           `json:"truncated"`
	Used        string         `json:"used"`

	Analysis *searchAnalysis `json:"analysis,omitempty"`
}

// maxSearchResultsArg is the schema's upper bound for max_results.
const maxSearchResultsArg = 2000

// scanLimitBytes bounds a file that search (or a ranged read) scans.
const scanLimitBytes = 2_000_000

// knownIntent reports whether intent is one search accepts (CodexPro 0.30's
// intents).
func knownIntent(intent string) bool {
	switch intent {
	case "", "auto", "text", "symbol", "references", "impact":
		return true
	}
	return false
}

// SearchTool finds lines in workspace files with CodexPro's own engine. The
// engine lives as long as the tool, so its caches serve every session.
func SearchTool() toolkit.Tool {
	eng := search.NewEngine()
	return toolkit.Define(toolkit.Spec{
		Name: "search", Title: "Search files", Kind: toolkit.ReadOnly, Sets: toolkit.Standard | toolkit.Full,
		Description: "Search file contents in the workspace for a literal (default) or an RE2 regular expression " +
			"(regex=true; runs in linear time, so no pattern can hang it). Returns `path:line: text` lines sorted by " +
			"path and line. Honours .gitignore; skips hidden files unless include_hidden, binary files and files " +
			"too large to read; never opens blocked paths (.env, keys, .git, node_modules, …) and never follows " +
			"symlinks. symbol replaces query; intent, symbol or include_tests add analysis: the matches grouped " +
			"into definitions, references (with importing files for intent=references|impact), tests, configuration and documentation.",
	}, func(ctx context.Context, e *toolkit.Env, in searchIn) (searchOut, string, error) {
		return runSearch(ctx, e, eng, in)
	})
}

func runSearch(ctx context.Context, e *toolkit.Env, eng *search.Engine, in searchIn) (searchOut, string, error) {
	w := in.Workspace()
	o, err := searchOptions(e.Cfg, in)
	if err != nil {
		return searchOut{}, "", err
	}
	r, err := eng.Search(ctx, w, o)
	var qe *search.QueryError
	if errors.As(err, &qe) {
		return searchOut{}, "", toolkit.UserErrorf("%s", qe.Msg)
	}
	if err != nil {
		return searchOut{}, "", err
	}
	out := searchOut{WorkspaceID: w.ID, Root: w.Root, Matches: r.Matches, Truncated: r.Truncated, Used: "codexpro"}
	if in.Intent != "" || in.Symbol != "" || in.IncludeTests {
		out.Analysis = analyzeSearch(ctx, e, w, searchAnalysisReq{query: o.Query, intent: classifyIntent(in.Intent, o.Query, in.Regex),
			regex: in.Regex, tests: in.IncludeTests, limit: o.MaxResults}, r.Matches)
	}
	return out, searchText(r, o), nil
}

func searchOptions(cfg toolkit.Config, in searchIn) (search.Options, error) {
	query := in.Query
	if in.Symbol != "" {
		query = in.Symbol
	}
	if query == "" {
		return search.Options{}, toolkit.UserErrorf("query is required.")
	}
	if !knownIntent(in.Intent) {
		return search.Options{}, toolkit.UserErrorf("intent must be one of auto, text, symbol, references, impact; got %q.", in.Intent)
	}
	limit := cfg.MaxSearchResults
	if limit <= 0 {
		limit = maxSearchResultsArg
	}
	n, err := intArg("max_results", in.MaxResults, limit, 1, maxSearchResultsArg)
	if err != nil {
		return search.Options{}, err
	}
	return search.Options{
		Query:         query,
		Regex:         in.Regex,
		CaseSensitive: in.CaseSensitive == nil || *in.CaseSensitive,
		Path:          in.Path,
		Glob:          in.Glob,
		IncludeHidden: in.IncludeHidden,
		MaxResults:    min(n, limit),
		MaxTextBytes:  cfg.MaxOutputBytes,
		MaxFileBytes:  min(scanLimitBytes, cfg.MaxReadBytes*scanFactor),
	}, nil
}

func searchText(r search.Result, o search.Options) string {
	if len(r.Matches) == 0 {
		return "No matches."
	}
	var b strings.Builder
	size := 200
	for _, m := range r.Matches {
		size += len(m.Path) + len(m.Text) + 16
	}
	b.Grow(size)
	for _, m := range r.Matches {
		b.WriteString(m.Path)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(m.Line))
		b.WriteString(": ")
		b.WriteString(m.Text)
		b.WriteByte('\n')
	}
	if r.Truncated {
		fmt.Fprintf(&b, "...[more matches than max_results (%d) or CODEXPRO_MAX_OUTPUT_BYTES (%d bytes) allow; narrow query, path or glob to see the rest]\n", o.MaxResults, o.MaxTextBytes)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
