package tools

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"codexpro.dev/mcpd/analysis"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/gitx"
	"codexpro.dev/pkg/workspace"
)

type proContextIn struct {
	toolkit.WorkspaceArg
	Title                 string   `json:"title,omitempty" jsonschema:"Bundle title (one line)"`
	SelectedPaths         []string `json:"selected_paths,omitempty" jsonschema:"Files to include first"`
	ExtraGlobs            []string `json:"extra_globs,omitempty" jsonschema:"Globs of more files to include, e.g. .github/**/*.yml"`
	IncludeImportantFiles *bool    `json:"include_important_files,omitempty" jsonschema:"Include README, AGENTS.md, manifests and configs at the root (default true)"`
	IncludeChangedFiles   *bool    `json:"include_changed_files,omitempty" jsonschema:"Include files git reports as changed (default true)"`
	IncludeDiff           *bool    `json:"include_diff,omitempty" jsonschema:"Include the git diff (default true)"`
	IncludeAIBridge       *bool    `json:"include_ai_bridge,omitempty" jsonschema:"Include the handoff context files (default true)"`
	MaxDepth              int      `json:"max_depth,omitempty" jsonschema:"Repository tree depth (1 to 6; default 3)"`
	MaxFiles              int      `json:"max_files,omitempty" jsonschema:"Most files to include (1 to 80; default 24)"`
	MaxFileBytes          int      `json:"max_file_bytes,omitempty" jsonschema:"Per-file byte limit (1000 to 250000)"`
	MaxTotalBytes         int      `json:"max_total_bytes,omitempty" jsonschema:"Bundle byte limit (20000 to 2000000)"`
}

type proContextOut struct {
	WorkspaceID   string   `json:"workspace_id"`
	Root          string   `json:"root"`
	Path          string   `json:"path"`
	Bytes         int      `json:"bytes"`
	FilesIncluded []string `json:"files_included"`
	FilesSkipped  []string `json:"files_skipped"`
	Truncated     bool     `json:"truncated"`
}

// importantRootFiles are included by default when present. Lockfiles are
// left out: they are large, rarely useful to a reviewer, and bun.lockb is
// binary.
var importantRootFiles = []string{"AGENTS.md", "README.md", "CLAUDE.md", "package.json", "pnpm-workspace.yaml",
	"tsconfig.json", "jsconfig.json", "vite.config.ts", "vite.config.js", "next.config.ts", "next.config.js",
	"svelte.config.js", "astro.config.mjs", "tailwind.config.ts", "tailwind.config.js", "postcss.config.js",
	"eslint.config.js", ".eslintrc.json", "biome.json", "turbo.json", "deno.json", "pyproject.toml",
	"requirements.txt", "Cargo.toml", "go.mod"}

// ExportProContextTool writes one Markdown bundle of the repository for a
// model without tool access (ChatGPT Pro): tree, git state, handoff files
// and chosen file contents, redacted and size-bounded.
func ExportProContextTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "export_pro_context", Title: "Export Pro context", Kind: toolkit.HandoffWrite, Sets: toolkit.Standard | toolkit.Full, Traits: toolkit.Card,
		Description: "Write <context dir>/pro-context.md: a redacted, size-bounded Markdown bundle with the repository tree, git status, " +
			"recent commits, diff, handoff context and the contents of selected, changed and important files.",
	}, exportProContext)
}

// proOptions is a resolved request.
type proOptions struct {
	title                               string
	selected, globs                     []string
	important, changed, diff, bridgeCtx bool
	depth, maxFiles                     int
	fileBytes, totalBytes               int64
}

func exportProContext(ctx context.Context, e *toolkit.Env, in proContextIn) (proContextOut, string, error) {
	w := in.Workspace()
	o, err := proContextOptions(e.Cfg, in)
	if err != nil {
		return proContextOut{}, "", err
	}
	d := contextDir(e, w.Root, w.LinkFree())
	if o.bridgeCtx {
		if err := scaffold(w, d); err != nil {
			return proContextOut{}, "", err
		}
	}
	b := buildProContext(ctx, e, w, o)
	if err := d.Write(bridge.ProContext, []byte(b.text)); err != nil {
		return proContextOut{}, "", err
	}
	out := proContextOut{WorkspaceID: w.ID, Root: w.Root, Path: d.Rel(bridge.ProContext), Bytes: len(b.text),
		FilesIncluded: nonNil(b.included), FilesSkipped: nonNil(b.skipped), Truncated: b.truncated}
	text := fmt.Sprintf("Wrote %s (%d bytes, %d files included, %d skipped%s). Attach it to a ChatGPT Pro conversation.",
		out.Path, out.Bytes, len(out.FilesIncluded), len(out.FilesSkipped), map[bool]string{true: ", truncated", false: ""}[out.Truncated])
	return out, text, nil
}

func proContextOptions(c toolkit.Config, in proContextIn) (proOptions, error) {
	o := proOptions{selected: in.SelectedPaths, globs: in.ExtraGlobs, important: boolArg(in.IncludeImportantFiles, true),
		changed: boolArg(in.IncludeChangedFiles, true), diff: boolArg(in.IncludeDiff, true), bridgeCtx: boolArg(in.IncludeAIBridge, true)}
	title, err := oneLine("title", in.Title, 120)
	if err != nil {
		return o, err
	}
	o.title = title
	if o.title == "" {
		o.title = "CodexPro Pro Context"
	}
	if o.depth, err = intArg("max_depth", in.MaxDepth, 3, 1, 6); err != nil {
		return o, err
	}
	if o.maxFiles, err = intArg("max_files", in.MaxFiles, 24, 1, 80); err != nil {
		return o, err
	}
	fb, err := intArg("max_file_bytes", in.MaxFileBytes, int(min(c.MaxReadBytes, 60_000)), 1000, 250_000)
	if err != nil {
		return o, err
	}
	tb, err := intArg("max_total_bytes", in.MaxTotalBytes, int(min(c.MaxWriteBytes, 700_000)), 20_000, 2_000_000)
	if err != nil {
		return o, err
	}
	o.fileBytes, o.totalBytes = min(int64(fb), c.MaxReadBytes), min(int64(tb), c.MaxWriteBytes)
	for _, g := range o.globs {
		if !doublestar.ValidatePattern(g) {
			return o, toolkit.UserErrorf("extra_globs: %q is not a valid glob.", g)
		}
	}
	return o, nil
}

type proBundle struct {
	text              string
	included, skipped []string
	truncated         bool
}

// buildProContext renders the bundle in memory; every read goes through
// the guard, and the result is redacted and cut to the byte limit.
func buildProContext(ctx context.Context, e *toolkit.Env, w *workspace.Workspace, o proOptions) proBundle {
	repo := gitRepo(e, w)
	status, statusErr := repo.Status(ctx, ".")
	var b proBundle
	sec := []string{"# " + o.title, fmt.Sprintf("Generated: %s\nWorkspace: %s\nWorkspace ID: %s\nModes: tool=%s, bash=%s, write=%s\n\n"+
		"Purpose: a self-contained snapshot of this repository for review and planning by a model without tool access.\n"+
		"Instruction: answer from this bundle; write implementation plans that a local agent can apply (handoff_to_agent).",
		time.Now().UTC().Format(time.RFC3339), w.Root, w.ID, e.Cfg.ToolMode, e.Cfg.BashMode, e.Cfg.WriteMode)}
	sec = append(sec, "## Repository Tree\n\n```\n"+proTree(w, o.depth, 700)+"\n```")
	st := status.Text()
	if statusErr != nil {
		st = "git status unavailable: " + statusErr.Error()
	}
	sec = append(sec, "## Git Status\n\n```\n"+st+"\n```")
	if commits, err := repo.Log(ctx, 8); err == nil {
		sec = append(sec, "## Recent Commits\n\n```\n"+commits+"\n```")
	}
	if o.diff {
		if d, err := repo.Diff(ctx, ".", false, true); err == nil && d.Text != "" {
			sec = append(sec, "## Git Diff\n\n```diff\n"+cutUTF8(redactDiff(ctx, e, w, false, d.Text), int(min(e.Cfg.MaxOutputBytes, 80_000)))+"\n```")
		}
	}
	if o.bridgeCtx {
		if h, err := collectHandoff(w, e.Cfg.ContextDir); err == nil {
			sec = append(sec, "## Existing AI Bridge Context\n\n"+h.text)
		}
	}
	cands := proCandidates(w, o, status.Entries, e.Cfg.ContextDir)
	sec = append(sec, fmt.Sprintf("## Selected Files\n\nSelected paths: %d\nAuto-include important root files: %s\nAuto-include changed files: %s\nExtra globs: %s\nFiles: %d (limit %d)",
		len(o.selected), yesNo(o.important), yesNo(o.changed), strings.Join(o.globs, ", "), len(cands), o.maxFiles))
	sec = append(sec, b.contents(w, cands, o.fileBytes))
	if len(b.skipped) > 0 {
		sec = append(sec, "## Skipped Files\n\n- "+strings.Join(b.skipped, "\n- "))
	}
	text := e.Redact.Text(strings.Join(sec, "\n\n") + "\n")
	if int64(len(text)) > o.totalBytes {
		marker := fmt.Sprintf("\n...[truncated to %d bytes]\n", o.totalBytes)
		text, b.truncated = cutUTF8(text, int(o.totalBytes)-len(marker))+marker, true
	}
	b.text = text
	return b
}

func (b *proBundle) contents(w *workspace.Workspace, cands []string, max int64) string {
	parts := []string{"## File Contents"}
	for _, rel := range cands {
		text, cut, err := readBounded(w, rel, max)
		if err != nil {
			reason := err.Error()
			if workspace.RuleOf(err) == workspace.RuleNotFound {
				reason = "[missing]"
			} else if workspace.RuleOf(err) == workspace.RuleNotFile {
				reason = "[not a file]"
			}
			b.skipped = append(b.skipped, rel+" "+reason)
			continue
		}
		b.included = append(b.included, rel)
		lines := countLines([]byte(text))
		parts = append(parts, fmt.Sprintf("### %s\n\nBytes: %d\nSHA-256: %s\nLines: %d\n\n```%s\n%s\n```%s",
			rel, len(text), sha256Hex([]byte(text)), lines, fenceLanguage(rel), numberLines(text), cutMarker(cut, max)))
	}
	return strings.Join(parts, "\n\n")
}

// proCandidates orders files: selected first, then important, then the
// rest (changed files and glob matches) alphabetically; the bundle itself
// is never included.
func proCandidates(w *workspace.Workspace, o proOptions, changed []gitx.StatusEntry, ctxDir string) []string {
	self := bridge.Rel(ctxDir, bridge.ProContext)
	seen := map[string]bool{self: true}
	var first, important, rest []string
	add := func(list *[]string, p string) {
		p = path.Clean(strings.TrimPrefix(p, "./"))
		if !seen[p] && p != "." {
			seen[p] = true
			*list = append(*list, p)
		}
	}
	for _, p := range o.selected {
		add(&first, p)
	}
	if o.important {
		for _, p := range importantRootFiles {
			if fi, _, err := w.Stat(p); err == nil && fi.Mode().IsRegular() {
				add(&important, p)
			}
		}
	}
	if o.changed {
		for _, c := range changed {
			add(&rest, c.Path)
		}
	}
	for _, g := range o.globs {
		for _, m := range globFiles(w, g) {
			add(&rest, m)
		}
	}
	sort.Strings(rest)
	all := append(append(first, important...), rest...)
	return all[:min(len(all), o.maxFiles)]
}

// globFiles matches g against the guarded tree (blocked paths never
// match); hidden paths only when the glob names one.
func globFiles(w *workspace.Workspace, g string) []string {
	var out []string
	_ = doublestar.GlobWalk(w.FS(), strings.TrimPrefix(g, "./"), func(p string, d fs.DirEntry) error {
		if d.Type().IsRegular() && len(out) < 2000 {
			out = append(out, p)
		}
		return nil
	}, doublestar.WithNoFollow())
	return out
}

// proTree is an indented listing of the guarded tree, hidden entries left out.
func proTree(w *workspace.Workspace, depth, max int) string {
	lines := []string{"."}
	_ = fs.WalkDir(w.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if p == "." {
			return nil
		}
		if err != nil || strings.HasPrefix(d.Name(), ".") {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		level := strings.Count(p, "/") + 1
		if len(lines) > max {
			return fs.SkipAll
		}
		name := d.Name()
		if d.IsDir() {
			name += "/"
		}
		lines = append(lines, strings.Repeat("  ", level)+name)
		if d.IsDir() && level >= depth {
			return fs.SkipDir
		}
		return nil
	})
	if len(lines) > max {
		lines = append(lines[:max+1], fmt.Sprintf("...[tree truncated after %d entries]", max))
	}
	return strings.Join(lines, "\n")
}

func fenceLanguage(rel string) string {
	if l := analysis.LanguageOf(rel); l != "shell" {
		return l
	}
	return "sh"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
