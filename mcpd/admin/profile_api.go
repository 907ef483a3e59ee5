package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/redact"
)

// maxProfileBody caps POST /admin/profile at 32 KB, as CodexPro 0.30 does.
const maxProfileBody = 32 << 10

// SavedMessage is what a successful save says.
const SavedMessage = "Saved. Restart mcpd for these settings to apply; the running server has not changed."

// getProfile returns the saved profile (sanitised) beside the running
// server's public settings.
func (a *Admin) getProfile(w http.ResponseWriter, r *http.Request) {
	v := a.view()
	p, _, _ := a.store.Load(a.o.Settings.Root)
	body := map[string]any{
		"ok": v.ProfileErr == "", "profile_path": v.ProfilePath, "exists": v.Exists,
		"profile": p.Sanitized(), "effective": v.Form, "running": a.o.Settings.Public(),
		"public_endpoint": v.Public,
	}
	if v.ProfileErr != "" {
		body["error"] = v.ProfileErr
	}
	writeJSON(w, http.StatusOK, redact.Value(body))
}

// postProfile validates the form and merges it into the saved profile.
// The running server's settings are a copy and are never touched.
func (a *Admin) postProfile(w http.ResponseWriter, r *http.Request) {
	if why := a.checkWrite(r); why != "" {
		writeError(w, http.StatusForbidden, "forbidden", "codexpro: profile save refused: "+why)
		return
	}
	f, err := decodeForm(http.MaxBytesReader(w, r.Body, maxProfileBody))
	if err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		writeError(w, status, "invalid_profile", err.Error())
		return
	}
	root := a.o.Settings.Root
	p, _, err := a.store.Load(root)
	if err != nil {
		writeError(w, http.StatusConflict, "profile_unreadable", err.Error())
		return
	}
	if err := f.apply(&p, root, formOf(a.o.Settings)); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_profile", err.Error())
		return
	}
	p.Root = root
	saved, err := a.store.Save(p)
	if err != nil {
		a.o.Log.Error().Err(err).Msg("admin: save profile")
		writeError(w, http.StatusInternalServerError, "save_failed", "could not save the profile: "+err.Error())
		return
	}
	a.o.Log.Info().Str("profile", a.store.Path(root)).Strs("changed", f.changed()).Msg("admin: profile saved; applies on restart")
	writeJSON(w, http.StatusOK, redact.Value(map[string]any{
		"ok": true, "saved": true, "profile_path": a.store.Path(root), "profile": saved.Sanitized(), "message": SavedMessage,
	}))
}

// change is what the page sends: only the fields the user changed, so a
// save never freezes the running values of the others into the profile, and
// never reverts a field another program saved meanwhile. An absent field is
// nil.
type change struct {
	Mode         *string   `json:"mode"`
	Write        *string   `json:"write"`
	Bash         *string   `json:"bash"`
	ToolMode     *string   `json:"toolMode"`
	AllowedRoots *[]string `json:"allowedRoots"`
}

func decodeForm(r io.Reader) (change, error) {
	var c change
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return c, err
		}
		if _, field, ok := strings.Cut(err.Error(), "unknown field "); ok {
			return c, fmt.Errorf("the page sent a field this server does not know (%s); reload the page and try again", strings.Trim(field, `"`))
		}
		return c, errors.New("the page sent a form this server does not understand; reload the page and try again")
	}
	return c, nil
}

// fields names the editable fields for people, in form order.
var fields = []struct {
	label   string
	allowed []string
	get     func(*change) *string
	put     func(*config.Profile, string)
}{
	{"Mode", []string{"agent", "handoff", "pro"}, func(c *change) *string { return c.Mode }, func(p *config.Profile, v string) { p.Mode = v }},
	{"Write", []string{"off", "handoff", "workspace"}, func(c *change) *string { return c.Write }, func(p *config.Profile, v string) { p.Write = v }},
	{"Bash", []string{"off", "safe", "full"}, func(c *change) *string { return c.Bash }, func(p *config.Profile, v string) { p.Bash = v }},
	{"Tool mode", []string{"minimal", "standard", "full"}, func(c *change) *string { return c.ToolMode }, func(p *config.Profile, v string) { p.ToolMode = v }},
}

// changed lists the labels of the fields the page sent, for the log.
func (c *change) changed() []string {
	var out []string
	for _, f := range fields {
		if f.get(c) != nil {
			out = append(out, f.label)
		}
	}
	if c.AllowedRoots != nil {
		out = append(out, "Allowed roots")
	}
	return out
}

// apply checks the changed fields as config.Load would and writes only them
// into p. running fills in what neither the change nor the profile holds,
// for the one rule that spans fields (workspace writes need agent mode).
func (c *change) apply(p *config.Profile, root string, running form) error {
	for _, f := range fields {
		v := f.get(c)
		if v == nil {
			continue
		}
		if !slices.Contains(f.allowed, *v) {
			return fmt.Errorf("%s %q is not one of %s", strings.ToLower(f.label), *v, strings.Join(f.allowed, ", "))
		}
		f.put(p, *v)
	}
	mode, write := or(p.Mode, running.Mode), or(p.Write, running.Write)
	if mode != "agent" && write == "workspace" && (c.Mode != nil || c.Write != nil) {
		return fmt.Errorf("write workspace needs mode agent: %s mode writes only the handoff directory, so choose write handoff or off", mode)
	}
	if c.AllowedRoots != nil {
		roots, err := realRoots(*c.AllowedRoots, root)
		if err != nil {
			return err
		}
		p.AllowedRoots = roots
	}
	return nil
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// realRoots resolves each allowed root to an existing real directory, drops
// the default root and duplicates, and names the entry that is wrong in
// words a person can act on.
func realRoots(list []string, root string) ([]string, error) {
	var out []string
	for _, p := range list {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !filepath.IsAbs(p) {
			return nil, fmt.Errorf("allowed root %s is not an absolute path; write it in full, such as /home/you/projects", p)
		}
		real, err := filepath.EvalSymlinks(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("allowed root %s does not exist", p)
		case errors.Is(err, fs.ErrPermission):
			return nil, fmt.Errorf("allowed root %s cannot be read (permission denied)", p)
		case err != nil:
			return nil, fmt.Errorf("allowed root %s cannot be used", p)
		}
		if info, err := os.Stat(real); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("allowed root %s is not a directory", p)
		}
		if real != root && !slices.Contains(out, real) {
			out = append(out, real)
		}
	}
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"ok": false, "error": code, "message": msg})
}
