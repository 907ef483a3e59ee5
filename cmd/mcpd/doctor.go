package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"codexpro.dev/pkg/config"
)

// DoctorCmd checks the set-up with the same flags as serving, read-only.
type DoctorCmd struct {
	Declared  `embed:""`
	NoProfile bool `help:"Ignore the workspace's saved profile."`
	JSON      bool `name:"json" help:"Print the findings as JSON."`
}

// finding is one check's result; every warning and failure says how to fix it.
type finding struct {
	Check  string `json:"check"`
	Status string `json:"status"` // ok, warn, fail
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

type report struct{ findings []finding }

func (r *report) ok(check, detail string) {
	r.findings = append(r.findings, finding{check, "ok", detail, ""})
}

func (r *report) warn(check, detail, fix string) {
	r.findings = append(r.findings, finding{check, "warn", detail, fix})
}

func (r *report) fail(check, detail, fix string) {
	r.findings = append(r.findings, finding{check, "fail", detail, fix})
}

func (r *report) count(status string) int {
	n := 0
	for _, f := range r.findings {
		if f.Status == status {
			n++
		}
	}
	return n
}

// doctor runs every check and exits 1 when any is a blocker.
func (a *app) doctor(ctx context.Context, c *DoctorCmd) int {
	r := &report{}
	s, loadErr := config.Load(withNoProfile(c.given, c.NoProfile), a.env)
	root, home, locErr := config.Locate(c.flag("root"), a.env)
	a.checkBinaries(r)
	checkSettings(r, s, loadErr)
	if locErr == nil {
		store := config.NewProfileStore(home)
		p := checkProfile(r, store, root, c.NoProfile)
		checkTokenFiles(r, a.tokenFileFlag(c), p)
	}
	host, port := listenAddr(c, s, loadErr)
	checkPort(r, host, port)
	a.checkGit(ctx, r)
	a.checkCloudflared(ctx, r, home)
	a.checkProviders(ctx, r)
	a.checkLandlock(r, s.Sandbox)
	a.checkOpeners(r)
	return a.printReport(r, root, c.JSON)
}

// listenAddr is the host and port serving would use; when the settings do
// not load, the flags or the defaults.
func listenAddr(c *DoctorCmd, s config.Settings, loadErr error) (string, int) {
	if loadErr == nil {
		return s.Host, s.Port
	}
	host, port := config.DefaultHost, config.DefaultPort
	if h := c.flag("host"); h != "" {
		host = h
	}
	if n, err := strconv.Atoi(c.flag("port")); err == nil {
		port = n
	}
	return host, port
}

func (a *app) tokenFileFlag(c *DoctorCmd) string {
	if f := c.flag("token-file"); f != "" {
		return f
	}
	v, _ := a.env("CODEXPRO_TOKEN_FILE")
	return v
}

func (a *app) printReport(r *report, root string, asJSON bool) int {
	fails, warns := r.count("fail"), r.count("warn")
	code := exitOK
	if fails > 0 {
		code = exitRuntime
	}
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(map[string]any{"ok": fails == 0, "workspace": root, "blockers": fails, "warnings": warns, "findings": r.findings})
		return code
	}
	fmt.Fprintf(a.stdout, "mcpd doctor (workspace %s)\n", root)
	for _, f := range r.findings {
		fmt.Fprintf(a.stdout, "%-5s %-18s %s\n", map[string]string{"ok": "OK", "warn": "WARN", "fail": "FAIL"}[f.Status], f.Check, f.Detail)
		if f.Fix != "" {
			fmt.Fprintf(a.stdout, "      %-18s fix: %s\n", "", f.Fix)
		}
	}
	switch {
	case fails > 0:
		fmt.Fprintf(a.stdout, "%d blocker(s) and %d warning(s) found.\n", fails, warns)
	case warns > 0:
		fmt.Fprintf(a.stdout, "Ready with %d warning(s).\n", warns)
	default:
		fmt.Fprintln(a.stdout, "Ready.")
	}
	return code
}
