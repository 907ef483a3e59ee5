package main

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"codexpro.dev/pkg/config"
)

// ask prints a question with its default and returns the trimmed answer,
// or the default on an empty line or end of input. Only called on a TTY.
func (a *app) ask(question, def string) string {
	if def != "" {
		fmt.Fprintf(a.stdout, "%s [%s]: ", question, def)
	} else {
		fmt.Fprintf(a.stdout, "%s: ", question)
	}
	if a.in == nil {
		a.in = bufio.NewReader(a.stdin)
	}
	line, _ := a.in.ReadString('\n')
	if line = strings.TrimSpace(line); line != "" {
		return line
	}
	return def
}

func (a *app) confirm(question string) bool {
	switch strings.ToLower(a.ask(question+" (yes/no)", "no")) {
	case "y", "yes":
		return true
	}
	return false
}

// promptSet asks for the settings the admin page also edits, starting from
// the saved values.
func (a *app) promptSet(c *SettingsSetCmd, p config.Profile) {
	or := func(v, def string) string {
		if v != "" {
			return v
		}
		return def
	}
	c.Mode = a.ask("Mode: agent, handoff or pro", or(p.Mode, "agent"))
	c.Write = a.ask("Write: off, handoff or workspace", or(p.Write, map[bool]string{true: "workspace", false: "handoff"}[c.Mode == "agent"]))
	c.Bash = a.ask("Bash: off, safe or full", or(p.Bash, "safe"))
	c.ToolMode = a.ask("Tool mode: minimal, standard or full", or(p.ToolMode, "standard"))
}

// pickProfile lists the other workspaces' profiles and returns the chosen
// root, or "" when the user picks none.
func (a *app) pickProfile(store config.ProfileStore, root string) (string, error) {
	list, err := store.List()
	if err != nil {
		return "", err
	}
	var roots []string
	for _, l := range list {
		if l.Err == nil && l.Profile.Root != root && len(roots) < 9 {
			roots = append(roots, l.Profile.Root)
			fmt.Fprintf(a.stdout, "%d. %s  %s\n", len(roots), l.Profile.Root, summary(l.Profile))
		}
	}
	if len(roots) == 0 {
		return "", fmt.Errorf("no other workspace has saved settings to copy (see mcpd settings list)")
	}
	n, err := strconv.Atoi(a.ask("Use saved setup number", "1"))
	if err != nil || n < 1 || n > len(roots) {
		fmt.Fprintln(a.stdout, "Nothing copied.")
		return "", nil
	}
	return roots[n-1], nil
}
