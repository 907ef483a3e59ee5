package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"codexpro.dev/pkg/config"
)

// SettingsCmd manages profiles; with no action it shows the workspace's.
type SettingsCmd struct {
	Show   SettingsShowCmd   `cmd:"" default:"withargs" help:"Print the workspace's saved settings (tokens are never printed)."`
	List   SettingsListCmd   `cmd:"" aliases:"ls" help:"List every saved profile, newest first."`
	Set    SettingsSetCmd    `cmd:"" help:"Save settings for the workspace; only the flags you give change."`
	Use    SettingsUseCmd    `cmd:"" aliases:"copy" help:"Copy another workspace's saved settings to this one (it gets its own token)."`
	Delete SettingsDeleteCmd `cmd:"" aliases:"reset,remove" help:"Delete the workspace's saved settings and the token file made for it."`
}

// RootFlag picks the workspace whose profile a command manages.
type RootFlag struct {
	Root string `help:"Workspace root (CODEXPRO_ROOT; default: current directory)." placeholder:"DIR"`
}

// SettingsShowCmd prints one profile.
type SettingsShowCmd struct {
	RootFlag    `embed:""`
	JSON        bool `name:"json" help:"Print the profile as JSON."`
	RevealToken bool `help:"Print the profile's bearer token (only the token, or a token field with --json), for scripts."`
}

// SettingsListCmd prints every profile.
type SettingsListCmd struct {
	JSON bool `name:"json" help:"Print the profiles as JSON."`
}

// SettingsUseCmd copies a profile from another root.
type SettingsUseCmd struct {
	RootFlag `embed:""`
	FromRoot string `help:"The workspace whose settings to copy (prompted for on a terminal)." placeholder:"DIR"`
}

// SettingsDeleteCmd removes a profile.
type SettingsDeleteCmd struct {
	RootFlag `embed:""`
	Yes      bool `help:"Do not ask for confirmation (needed when not on a terminal)." aliases:"force"`
}

// workspaceStore locates the root and its profile store.
func (a *app) workspaceStore(rootFlag string) (string, config.ProfileStore, error) {
	root, home, err := config.Locate(rootFlag, a.env)
	if err != nil {
		return "", config.ProfileStore{}, err
	}
	return root, config.NewProfileStore(home), nil
}

func (a *app) settingsShow(c *SettingsShowCmd) error {
	root, store, err := a.workspaceStore(c.Root)
	if err != nil {
		return err
	}
	p, ok, err := store.Load(root)
	if err != nil {
		return err
	}
	var token string
	if c.RevealToken {
		if !ok {
			return fmt.Errorf("no saved settings for %s, so no saved token: save some with mcpd settings set", root)
		}
		if token, err = store.Token(p); err != nil {
			return err
		}
	}
	switch {
	case c.JSON:
		body := map[string]any{"root": root, "profile_path": store.Path(root), "exists": ok}
		if ok {
			body["profile"] = p.Sanitized()
		}
		if c.RevealToken {
			body["token"] = token
		}
		return writeJSON(a.stdout, body)
	case c.RevealToken:
		fmt.Fprintln(a.stdout, token)
	case !ok:
		fmt.Fprintf(a.stdout, "No saved settings for this workspace (%s).\nSave some with: mcpd settings set --root %s --bash off ...\n", root, root)
	default:
		printProfile(a, store.Path(root), p.Sanitized())
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printProfile prints the fields that are set, in the order CodexPro 0.30
// prints them.
// Secrets never appear: a token is shown by the file that holds it.
func printProfile(a *app, path string, p config.Profile) {
	rows := [][2]string{
		{"Workspace", p.Root}, {"Profile", path}, {"Updated", p.UpdatedAt},
		{"Tunnel", p.Tunnel}, {"Hostname", p.Hostname}, {"Tunnel name", p.TunnelName},
		{"Ngrok config", p.NgrokConfig}, {"Cloudflare cfg", p.CloudflareConfig}, {"CF token file", p.CloudflareTokenFile},
		{"Host", p.Host}, {"Port", p.Port}, {"Mode", p.Mode}, {"Bash", p.Bash}, {"Write", p.Write},
		{"Tool mode", p.ToolMode}, {"Tool cards", onOff(p.ToolCards)}, {"Bash transcript", p.BashTranscript},
		{"Codex sessions", p.CodexSessions}, {"Codex dir", p.CodexDir}, {"Bash session", bashSession(p)},
		{"Sandbox", p.Sandbox}, {"Sandbox net", onOff(p.SandboxNet)}, {"Widget origin", p.WidgetDomain},
		{"Projects", strings.Join(p.AllowedRoots, ", ")},
		{"Token", tokenLine(p)},
	}
	fmt.Fprintln(a.stdout, "CodexPro settings")
	for _, r := range rows {
		if r[1] != "" {
			fmt.Fprintf(a.stdout, "  %-16s %s\n", r[0], r[1])
		}
	}
}

func tokenLine(p config.Profile) string {
	switch {
	case p.TokenFile != "":
		return "saved in " + p.TokenFile + " (not shown)"
	case p.LegacyToken != "":
		return p.LegacyToken + " (plaintext in the profile; run mcpd settings set to move it into a 0600 file)"
	}
	return ""
}

func onOff(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "on"
	}
	return "off"
}

func bashSession(p config.Profile) string {
	if p.BashSession != "" && p.RequireBashSession != nil && *p.RequireBashSession {
		return p.BashSession + " required"
	}
	return p.BashSession
}

// listedJSON is one profile in `settings list --json`.
type listedJSON struct {
	Root        string          `json:"root,omitempty"`
	ProfilePath string          `json:"profile_path"`
	Stale       bool            `json:"stale"` // the workspace directory no longer exists
	Profile     *config.Profile `json:"profile,omitempty"`
	Error       string          `json:"error,omitempty"`
}

// stale reports a profile whose workspace directory is gone.
func stale(p config.Profile) bool {
	_, err := os.Stat(p.Root)
	return errors.Is(err, fs.ErrNotExist)
}

func (a *app) settingsList(c *SettingsListCmd) error {
	home, err := config.HomeOf(a.env)
	if err != nil {
		return err
	}
	store := config.NewProfileStore(home)
	list, err := store.List()
	if err != nil {
		return err
	}
	if c.JSON {
		out := []listedJSON{}
		for _, l := range list {
			j := listedJSON{ProfilePath: l.Path}
			if l.Err != nil {
				j.Error = l.Err.Error()
			} else {
				p := l.Profile.Sanitized()
				j.Root, j.Stale, j.Profile = p.Root, stale(p), &p
			}
			out = append(out, j)
		}
		return writeJSON(a.stdout, out)
	}
	if len(list) == 0 {
		fmt.Fprintf(a.stdout, "No saved settings (%s has no profiles).\n", store.Dir)
		return nil
	}
	for i, l := range list {
		if i == 50 {
			fmt.Fprintf(a.stdout, "... and %d more in %s\n", len(list)-50, store.Dir)
			break
		}
		if l.Err != nil {
			fmt.Fprintf(a.stdout, "%d. %v\n", i+1, l.Err)
			continue
		}
		mark := ""
		if stale(l.Profile) {
			mark = fmt.Sprintf("  [workspace gone: mcpd settings delete --root %s --yes]", l.Profile.Root)
		}
		fmt.Fprintf(a.stdout, "%d. %s  %s%s\n", i+1, l.Profile.Root, summary(l.Profile), mark)
	}
	return nil
}

// summary is the one-line form of a profile for lists and prompts.
func summary(p config.Profile) string {
	var parts []string
	for _, kv := range [][2]string{{"mode", p.Mode}, {"write", p.Write}, {"bash", p.Bash}, {"tools", p.ToolMode}, {"port", p.Port}, {"host", p.Hostname}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if len(parts) == 0 {
		return "(defaults)"
	}
	return strings.Join(parts, " ")
}

func (a *app) settingsDelete(c *SettingsDeleteCmd) error {
	root, store, err := a.workspaceStore(c.Root)
	if err != nil {
		// The workspace may be gone while its profile stays: find the
		// profile by the path as given.
		if root, store, err = a.goneWorkspace(c.Root, err); err != nil {
			return err
		}
	}
	if !c.Yes {
		if !a.tty {
			return errors.New("use mcpd settings delete --yes in non-interactive shells")
		}
		if !a.confirm(fmt.Sprintf("Delete saved settings for %s?", root)) {
			fmt.Fprintln(a.stdout, "Nothing deleted.")
			return nil
		}
	}
	removed, err := store.Delete(root)
	if err != nil {
		return err
	}
	if len(removed) == 0 {
		fmt.Fprintf(a.stdout, "No saved settings for %s; nothing to delete.\n", root)
		return nil
	}
	for _, p := range removed {
		fmt.Fprintf(a.stdout, "Deleted %s\n", p)
	}
	return nil
}

// goneWorkspace finds the saved profile of a workspace directory that no
// longer exists, by its absolute path; locateErr is returned when there is
// none.
func (a *app) goneWorkspace(rootFlag string, locateErr error) (string, config.ProfileStore, error) {
	home, err := config.HomeOf(a.env)
	if err != nil || rootFlag == "" {
		return "", config.ProfileStore{}, locateErr
	}
	abs, err := filepath.Abs(rootFlag)
	if err != nil {
		return "", config.ProfileStore{}, locateErr
	}
	store := config.NewProfileStore(home)
	list, _ := store.List()
	for _, l := range list {
		if l.Err == nil && l.Profile.Root == abs && stale(l.Profile) {
			return abs, store, nil
		}
	}
	return "", config.ProfileStore{}, locateErr
}
