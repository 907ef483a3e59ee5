package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

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
	if f.AllowedRoots, err = realRoots(f.AllowedRoots, root); err == nil {
		err = validate(f)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_profile", err.Error())
		return
	}
	p, _, err := a.store.Load(root)
	if err != nil {
		writeError(w, http.StatusConflict, "profile_unreadable", err.Error())
		return
	}
	p.Root, p.Mode, p.Write, p.Bash, p.ToolMode, p.AllowedRoots = root, f.Mode, f.Write, f.Bash, f.ToolMode, f.AllowedRoots
	saved, err := a.store.Save(p)
	if err != nil {
		a.o.Log.Error().Err(err).Msg("admin: save profile")
		writeError(w, http.StatusInternalServerError, "save_failed", err.Error())
		return
	}
	a.o.Log.Info().Str("profile", a.store.Path(root)).Str("mode", f.Mode).Str("write", f.Write).
		Str("bash", f.Bash).Str("tools", f.ToolMode).Msg("admin: profile saved; applies on restart")
	writeJSON(w, http.StatusOK, redact.Value(map[string]any{
		"ok": true, "saved": true, "profile_path": a.store.Path(root), "profile": saved.Sanitized(), "message": SavedMessage,
	}))
}

func decodeForm(r io.Reader) (form, error) {
	var f form
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("profile form: %w", err)
	}
	return f, nil
}

// validate checks each field against the values config.Load accepts.
func validate(f form) error {
	checks := []struct {
		name, value string
		allowed     []string
	}{
		{"mode", f.Mode, []string{"agent", "handoff", "pro"}},
		{"write", f.Write, []string{"off", "handoff", "workspace"}},
		{"bash", f.Bash, []string{"off", "safe", "full"}},
		{"toolMode", f.ToolMode, []string{"minimal", "standard", "full"}},
	}
	for _, c := range checks {
		if !slices.Contains(c.allowed, c.value) {
			return fmt.Errorf("%s=%q: want one of %s", c.name, c.value, strings.Join(c.allowed, ", "))
		}
	}
	if f.Mode != "agent" && f.Write == "workspace" {
		return fmt.Errorf("write=workspace needs mode agent; %s mode writes only the handoff directory (choose handoff or off)", f.Mode)
	}
	return nil
}

// realRoots resolves each allowed root to an existing real directory, drops
// the default root and duplicates, and names the entry that is wrong.
func realRoots(list []string, root string) ([]string, error) {
	var out []string
	for _, p := range list {
		if p == "" {
			continue
		}
		if !filepath.IsAbs(p) {
			return nil, fmt.Errorf("allowedRoots %q: want an absolute path", p)
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil, fmt.Errorf("allowedRoots %q: %w", p, err)
		}
		if info, err := os.Stat(real); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("allowedRoots %q: not a directory", p)
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
