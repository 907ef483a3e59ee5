package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"codexpro.dev/mcpd/analysis"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

// changeImpact is show_changes' analysis of what a change touches (changed
// files, their dependents and tests, risk), built from the cached repository map.
type changeImpact struct {
	SchemaVersion       int               `json:"schema_version"`
	ChangedPaths        []string          `json:"changed_paths"`
	AffectedAreas       []string          `json:"affected_areas"`
	DependentFiles      []impactLink      `json:"dependent_files"`
	RelatedTests        []impactLink      `json:"related_tests"`
	RiskSignals         []riskSignal      `json:"risk_signals"`
	RecommendedCommands []string          `json:"recommended_commands"`
	Coverage            analysis.Coverage `json:"coverage"`
	Warnings            []string          `json:"warnings"`
	Cache               cacheInfo         `json:"cache"`
}

type impactLink struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
	Via    string `json:"via"`
}

type riskSignal struct {
	Kind       string `json:"kind"`
	Label      string `json:"label"`
	Path       string `json:"path"`
	Confidence string `json:"confidence"`
}

var riskRules = []struct {
	kind, label string
	re          *regexp.Regexp
}{
	{"authentication", "Authentication or sessions", regexp.MustCompile(`(?i)(auth|session|token|oauth|login)`)},
	{"migration", "Database migration or schema", regexp.MustCompile(`(?i)(migration|schema|prisma|drizzle)`)},
	{"storage", "Storage or data model", regexp.MustCompile(`(?i)(database|storage|repository|model)`)},
	{"build", "Build or dependency configuration", regexp.MustCompile(`(?i)(package\.json|lock|build|webpack|vite|tsconfig|go\.mod|go\.sum)`)},
	{"configuration", "Configuration", regexp.MustCompile(`(?i)(config|settings|\.ya?ml|\.toml)`)},
	{"public-api", "Public API surface", regexp.MustCompile(`(?i)(api|public|export|route)`)},
}

// assessImpact maps changed paths to dependents, tests, risks and the
// commands worth running. A path the guard refuses is reported, not used.
func assessImpact(ctx context.Context, e *toolkit.Env, w *workspace.Workspace, changed []string) (*changeImpact, error) {
	m, hit, err := toolkit.State[analysis.Cache](e).Map(ctx, w, e.Cfg.MaxReadBytes)
	if err != nil {
		return nil, err
	}
	limit := max(e.Cfg.MaxSearchResults, 1)
	out := &changeImpact{SchemaVersion: 1, Coverage: m.Coverage, Warnings: []string{}, Cache: cacheInfo{hit, m.Key},
		ChangedPaths: []string{}, AffectedAreas: []string{}, DependentFiles: []impactLink{}, RelatedTests: []impactLink{},
		RiskSignals: []riskSignal{}, RecommendedCommands: []string{}}
	areas := map[string]bool{}
	for _, p := range changed {
		rel, err := w.Resolve(p)
		if err != nil {
			out.Warnings = append(out.Warnings, fmt.Sprintf("Skipped changed path %s: %v", p, err))
			continue
		}
		out.ChangedPaths = append(out.ChangedPaths, rel)
		areas[topArea(rel)] = true
		out.addRisks(rel)
	}
	out.AffectedAreas = nonNil(slices.Sorted(maps.Keys(areas)))
	out.addDependents(m)
	sortedLinks(out.DependentFiles)
	sortedLinks(out.RelatedTests)
	out.RecommendedCommands = recommendedCommands(w, m)
	out.cap(limit)
	return out, nil
}

func topArea(rel string) string {
	if i := strings.IndexByte(rel, '/'); i > 0 {
		return rel[:i]
	}
	return "."
}

func (c *changeImpact) addRisks(rel string) {
	for _, r := range riskRules {
		if r.re.MatchString(rel) {
			c.RiskSignals = append(c.RiskSignals, riskSignal{r.kind, r.label, rel, "inferred"})
		}
	}
}

// addDependents follows import edges backwards: files importing a changed
// file (or a changed Go file's package), split into tests and the rest;
// plus tests whose name contains a changed file's stem.
func (c *changeImpact) addDependents(m *analysis.Map) {
	targets := map[string]string{}
	for _, p := range c.ChangedPaths {
		targets[p] = p
		if strings.HasSuffix(p, ".go") {
			targets[path.Dir(p)] = p
		}
	}
	seen := map[string]bool{}
	for _, p := range c.ChangedPaths {
		seen[p] = true
	}
	for _, r := range m.Relationships {
		via, ok := targets[r.To]
		if !ok || seen[r.From] {
			continue
		}
		seen[r.From] = true
		if r.Kind == "tests" {
			c.RelatedTests = append(c.RelatedTests, impactLink{r.From, "dependent test", via})
		} else {
			c.DependentFiles = append(c.DependentFiles, impactLink{r.From, "dependent module", via})
		}
	}
	for _, f := range m.Files {
		if f.Role != "test" || seen[f.Path] {
			continue
		}
		for _, p := range c.ChangedPaths {
			stem := strings.TrimSuffix(path.Base(p), path.Ext(p))
			if len(stem) > 2 && strings.Contains(path.Base(f.Path), stem) {
				seen[f.Path] = true
				c.RelatedTests = append(c.RelatedTests, impactLink{f.Path, "test filename matches changed source", p})
				break
			}
		}
	}
}

func (c *changeImpact) cap(limit int) {
	cut := false
	if len(c.DependentFiles) > limit {
		c.DependentFiles, cut = c.DependentFiles[:limit], true
	}
	if len(c.RelatedTests) > limit {
		c.RelatedTests, cut = c.RelatedTests[:limit], true
	}
	if len(c.RiskSignals) > limit {
		c.RiskSignals, cut = c.RiskSignals[:limit], true
	}
	if cut {
		c.Warnings = append(c.Warnings, fmt.Sprintf("Impact lists were cut at %d entries (CODEXPRO_MAX_SEARCH_RESULTS).", limit))
	}
}

// recommendedCommands suggests checks from package.json scripts and the
// manifests at the workspace root.
func recommendedCommands(w *workspace.Workspace, m *analysis.Map) []string {
	root := map[string]bool{}
	for _, f := range m.Files {
		if !strings.Contains(f.Path, "/") {
			root[f.Path] = true
		}
	}
	var out []string
	if root["package.json"] {
		out = append(out, nodeCommands(w, root)...)
	}
	for _, mc := range []struct{ file, cmd string }{{"go.mod", "go test ./..."}, {"Cargo.toml", "cargo test"},
		{"Package.swift", "swift test"}, {"pyproject.toml", "python3 -m pytest"}, {"pom.xml", "mvn test"}} {
		if root[mc.file] {
			out = append(out, mc.cmd)
		}
	}
	return out
}

func nodeCommands(w *workspace.Workspace, root map[string]bool) []string {
	data, _, err := w.ReadFile("package.json", 1<<20)
	if err != nil {
		return nil
	}
	var pkg struct {
		PackageManager string            `json:"packageManager"`
		Scripts        map[string]string `json:"scripts"`
	}
	if json.Unmarshal(data, &pkg) != nil {
		return nil
	}
	runner := nodeRunner(pkg.PackageManager, root)
	var out []string
	for _, s := range []string{"test", "test:unit", "typecheck", "lint", "build", "check"} {
		if _, ok := pkg.Scripts[s]; !ok {
			continue
		}
		if s == "test" && (runner == "npm" || runner == "pnpm") {
			out = append(out, runner+" test")
		} else {
			out = append(out, runner+" run "+s)
		}
	}
	return out
}

func nodeRunner(packageManager string, root map[string]bool) string {
	if name, _, _ := strings.Cut(packageManager, "@"); name != "" {
		return name
	}
	for _, l := range []struct{ file, runner string }{{"pnpm-lock.yaml", "pnpm"}, {"yarn.lock", "yarn"}, {"bun.lock", "bun"},
		{"bun.lockb", "bun"}, {"package-lock.json", "npm"}, {"npm-shrinkwrap.json", "npm"}} {
		if root[l.file] {
			return l.runner
		}
	}
	return "npm"
}

// sortedLinks orders links by path, for stable output.
func sortedLinks(l []impactLink) {
	sort.Slice(l, func(i, j int) bool { return l[i].Path < l[j].Path })
}

// impactText is the readable summary show_changes appends.
func impactText(c *changeImpact) string {
	var b strings.Builder
	b.WriteString("## Change impact\n")
	fmt.Fprintf(&b, "\nAffected areas: %s", strings.Join(c.AffectedAreas, ", "))
	for _, l := range c.DependentFiles {
		fmt.Fprintf(&b, "\n- depends on %s: %s", l.Via, l.Path)
	}
	for _, l := range c.RelatedTests {
		fmt.Fprintf(&b, "\n- test for %s: %s (%s)", l.Via, l.Path, l.Reason)
	}
	for _, r := range c.RiskSignals {
		fmt.Fprintf(&b, "\n- risk: %s (%s)", r.Label, r.Path)
	}
	if len(c.RecommendedCommands) > 0 {
		fmt.Fprintf(&b, "\nRun: %s", strings.Join(c.RecommendedCommands, "; "))
	}
	return b.String()
}
