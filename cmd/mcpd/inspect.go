package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"codexpro.dev/mcpd"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/config"
)

// InspectCmd prints the inspect_workspace map for a person.
type InspectCmd struct {
	RootFlag `embed:""`
	JSON     bool `name:"json" help:"Print the tool's structured result as JSON instead of the text view."`
}

func (a *app) inspect(ctx context.Context, c *InspectCmd) error {
	res, err := a.callLocal(ctx, c.Root, nil, "inspect_workspace", map[string]any{})
	if err != nil {
		return err
	}
	return a.printResult(res, c.JSON)
}

// callLocal runs one tool in-process on the workspace at root, with the
// settings mcpd would serve it with (variables and the saved profile).
func (a *app) callLocal(ctx context.Context, root string, marks toolkit.ReviewMarks, name string, args map[string]any) (mcpd.Result, error) {
	flags := config.Flags{}
	if root != "" {
		flags["root"] = []string{root}
	}
	s, err := config.Load(flags, a.env)
	if err != nil {
		return mcpd.Result{}, err
	}
	l, err := mcpd.OpenLocal(s, marks)
	if err != nil {
		return mcpd.Result{}, err
	}
	defer l.Close()
	return l.Call(ctx, name, args)
}

// printResult prints the text view, or the structured result as indented
// JSON (the same document a client receives).
func (a *app) printResult(res mcpd.Result, asJSON bool) error {
	if !asJSON {
		fmt.Fprintln(a.stdout, res.Text)
		return nil
	}
	var b bytes.Buffer
	if err := json.Indent(&b, res.Structured, "", "  "); err != nil {
		return fmt.Errorf("encode the result: %w", err)
	}
	b.WriteByte('\n')
	_, err := a.stdout.Write(b.Bytes())
	return err
}
