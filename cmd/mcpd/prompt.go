package main

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/tty"
)

// ask prints a question with its default and returns the trimmed answer,
// or the default on an empty line. eof is true when input ended before an
// answer. Only called on a TTY.
func (a *app) ask(question, def string) (answer string, eof bool) {
	if def != "" {
		fmt.Fprintf(a.stdout, "%s [%s]: ", question, def)
	} else {
		fmt.Fprintf(a.stdout, "%s: ", question)
	}
	if a.in == nil {
		a.in = bufio.NewReader(a.stdin)
	}
	line, err := a.in.ReadString('\n')
	if line = strings.TrimSpace(line); line != "" {
		return line, false
	}
	return def, err != nil
}

// confirm is true only for an explicit yes (tty.Confirm).
func (a *app) confirm(question string) bool {
	if a.in == nil {
		a.in = bufio.NewReader(a.stdin)
	}
	return tty.Confirm(a.in, a.stdout, question)
}

// promptSet asks for the settings the admin page also edits, starting from
// the saved values. Each answer is checked as mcpd would check it the moment
// it is given, and a bad one is asked again with the reason.
func (a *app) promptSet(c *SettingsSetCmd, root string, p config.Profile) error {
	or := func(v, def string) string {
		if v != "" {
			return v
		}
		return def
	}
	questions := []struct{ name, question, def string }{
		{"mode", "Mode: agent, handoff or pro", or(p.Mode, "agent")},
		{"write", "Write: off, handoff or workspace", p.Write},
		{"bash", "Bash: off, safe or full", or(p.Bash, "safe")},
		{"tool-mode", "Tool mode: minimal, standard or full", or(p.ToolMode, "standard")},
	}
	for _, q := range questions {
		def := q.def
		if q.name == "write" && def == "" {
			def = map[bool]string{true: "workspace", false: "handoff"}[c.flag("mode") == "agent"]
		}
		for {
			answer, eof := a.ask(q.question, def)
			if eof {
				return fmt.Errorf("input ended before the %s question was answered; nothing saved", q.name)
			}
			_, err := checkSaved(root, config.Flags{q.name: {answer}}, a.env)
			if err == nil {
				c.given[q.name] = []string{answer}
				break
			}
			fmt.Fprintf(a.stdout, "  %v\n  Try again.\n", err)
		}
	}
	return nil
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
	answer, _ := a.ask("Use saved setup number", "1")
	n, err := strconv.Atoi(answer)
	if err != nil || n < 1 || n > len(roots) {
		fmt.Fprintln(a.stdout, "Nothing copied.")
		return "", nil
	}
	return roots[n-1], nil
}
