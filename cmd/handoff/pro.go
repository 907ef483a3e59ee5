package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"codexpro.dev/mcpd"
	"codexpro.dev/pkg/config"
	"codexpro.dev/tunnelctl"
)

// ProBundleCmd is `handoff pro-bundle`: the export_pro_context tool run
// from the terminal, for pasting into a ChatGPT Pro conversation.
type ProBundleCmd struct {
	Root   string   `type:"path" placeholder:"DIR" help:"Workspace root (CODEXPRO_ROOT; default: the current directory)."`
	Files  []string `name:"files" sep:"," placeholder:"PATH" help:"Files to include first (repeatable or comma-separated)."`
	Glob   []string `name:"glob" placeholder:"GLOB" help:"Globs of more files to include, e.g. 'cmd/**/*.go' (repeatable)."`
	Title  string   `help:"Bundle title (one line)."`
	NoDiff bool     `help:"Leave out the git diff."`
	Copy   bool     `help:"Copy the bundle to the clipboard too."`
}

// Run writes <context dir>/pro-context.md with the same code, redaction
// and limits as the export_pro_context tool.
func (c *ProBundleCmd) Run(ctx context.Context, io *ioSet) error {
	args := map[string]any{}
	if len(c.Files) > 0 {
		args["selected_paths"] = c.Files
	}
	if len(c.Glob) > 0 {
		args["extra_globs"] = c.Glob
	}
	if c.Title != "" {
		args["title"] = c.Title
	}
	if c.NoDiff {
		args["include_diff"] = false
	}
	l, err := openLocal(c.Root)
	if err != nil {
		return err
	}
	defer l.Close()
	res, err := l.Call(ctx, "export_pro_context", args)
	if err != nil {
		return err
	}
	fmt.Fprintln(io.Stdout, res.Text)
	if !c.Copy {
		return nil
	}
	var out struct {
		Path string `json:"path"`
	}
	if err := json.Unmarshal(res.Structured, &out); err != nil || out.Path == "" {
		return fmt.Errorf("export_pro_context did not name the bundle it wrote")
	}
	text, err := l.ReadFile(out.Path)
	if err != nil {
		return fmt.Errorf("read the bundle back for the clipboard: %w", err)
	}
	tool, err := tunnelctl.Clipboard(os.Getenv)(text)
	if err != nil {
		return fmt.Errorf("copy to the clipboard: %w (the bundle is in %s)", err, out.Path)
	}
	fmt.Fprintf(io.Stdout, "Copied the Pro context to the clipboard (%s).\n", tool)
	return nil
}

// ProApplyCmd is `handoff pro-apply`: ChatGPT Pro's answer becomes the
// current plan, written by the handoff_to_agent tool's own code.
type ProApplyCmd struct {
	Root   string `type:"path" placeholder:"DIR" help:"Workspace root (CODEXPRO_ROOT; default: the current directory)."`
	File   string `type:"path" placeholder:"FILE" help:"Read the plan from this file."`
	Stdin  bool   `help:"Read the plan from standard input."`
	Title  string `help:"Plan title (one line), used when the plan has no heading."`
	Agent  string `placeholder:"NAME" help:"Agent the plan is for (codex, opencode, pi, custom); default: handoff_to_agent's."`
	Append bool   `help:"Append to the current plan instead of replacing it."`
}

// maxPlanInput bounds what pro-apply reads before the tool's own size
// checks: a plan larger than this is refused without reading it whole.
const maxPlanInput = 4 << 20

// Run writes the plan and prints its hash and how to run it.
func (c *ProApplyCmd) Run(ctx context.Context, io *ioSet) error {
	plan, err := c.readPlan(io.Stdin)
	if err != nil {
		return err
	}
	args := map[string]any{"plan": plan, "append": c.Append}
	if c.Title != "" {
		args["title"] = c.Title
	}
	if c.Agent != "" {
		args["agent"] = c.Agent
	}
	l, err := openLocal(c.Root)
	if err != nil {
		return err
	}
	defer l.Close()
	res, err := l.Call(ctx, "handoff_to_agent", args)
	if err != nil {
		return err
	}
	var out struct {
		PlanPath string `json:"plan_path"`
		PlanHash string `json:"plan_hash"`
	}
	if err := json.Unmarshal(res.Structured, &out); err != nil {
		return fmt.Errorf("read handoff_to_agent's result: %w", err)
	}
	fmt.Fprintf(io.Stdout, "Wrote %s\nPlan hash: %s\n\n%s\n", out.PlanPath, out.PlanHash, res.Text)
	return nil
}

func (c *ProApplyCmd) readPlan(stdin io.Reader) (string, error) {
	var r io.Reader
	switch {
	case c.Stdin && c.File != "":
		return "", errors.New("use either --stdin or --file, not both")
	case c.Stdin:
		r = stdin
	case c.File != "":
		f, err := os.Open(c.File)
		if err != nil {
			return "", fmt.Errorf("--file: %w", err)
		}
		defer f.Close()
		r = f
	default:
		return "", errors.New("missing --file FILE or --stdin: pass ChatGPT Pro's plan in one of them")
	}
	data, err := io.ReadAll(io.LimitReader(r, maxPlanInput+1))
	if err != nil {
		return "", fmt.Errorf("read the plan: %w", err)
	}
	if len(data) > maxPlanInput {
		return "", fmt.Errorf("the plan is larger than %d bytes; shorten it", maxPlanInput)
	}
	if strings.TrimSpace(string(data)) == "" {
		return "", errors.New("the plan is empty")
	}
	return string(data), nil
}

// openLocal opens the workspace with the settings mcpd would serve it with
// (CODEXPRO_* variables and the saved profile).
func openLocal(root string) (*mcpd.Local, error) {
	flags := config.Flags{}
	if root != "" {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, fmt.Errorf("--root: %w", err)
		}
		flags["root"] = []string{abs}
	}
	s, err := config.Load(flags, os.LookupEnv)
	if err != nil {
		return nil, err
	}
	return mcpd.OpenLocal(s, nil)
}
