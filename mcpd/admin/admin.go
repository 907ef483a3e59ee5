// Package admin serves mcpd's local admin page: it shows the running
// server's connection and guardrails and edits the workspace's saved
// profile. Saved changes apply on the next start; nothing here touches the
// running server.
package admin

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/rs/zerolog"

	"codexpro.dev/pkg/config"
)

//go:embed assets
var assets embed.FS

// Mounter is the guard the routes go behind: httpd.Guard.
type Mounter interface {
	HandleWithCookie(pattern string, h http.Handler)
}

// Options describe the running server. Settings is a copy: the page never
// changes it.
type Options struct {
	Settings config.Settings
	Port     int                                   // the bound port (Settings.Port may be 0)
	Landlock func() (abi int, ok bool, why string) // sandbox.Available
	Log      zerolog.Logger
	Grants   Grants // the OAuth grants (--auth oauth); nil otherwise
}

// Admin is the page and its profile API.
type Admin struct {
	o     Options
	store config.ProfileStore
	csrf  string // per process; embedded in the page, required on POST
}

// New builds the admin handlers for one running server.
func New(o Options) (*Admin, error) {
	if o.Settings.Home == "" || o.Settings.Root == "" {
		return nil, fmt.Errorf("admin: settings without a root or CODEXPRO_HOME; cannot locate the profile")
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("admin: csrf token: %w", err)
	}
	if o.Landlock == nil {
		o.Landlock = func() (int, bool, string) { return 0, false, "not probed" }
	}
	return &Admin{o: o, store: config.NewProfileStore(o.Settings.Home), csrf: hex.EncodeToString(b)}, nil
}

// Mount adds the routes. Exact patterns only: the admin cookie must not
// open anything else.
func (a *Admin) Mount(m Mounter) {
	page := a.localOnly(http.HandlerFunc(a.page))
	m.HandleWithCookie("GET /{$}", page)
	m.HandleWithCookie("GET /setup", page)
	m.HandleWithCookie("GET /admin/assets/{file}", a.localOnly(http.HandlerFunc(a.asset)))
	m.HandleWithCookie("GET /admin/profile", a.localOnly(http.HandlerFunc(a.getProfile)))
	m.HandleWithCookie("POST /admin/profile", a.localOnly(http.HandlerFunc(a.postProfile)))
	m.HandleWithCookie("GET /admin/grants", a.localOnly(http.HandlerFunc(a.getGrants)))
	m.HandleWithCookie("POST /admin/grants/revoke", a.localOnly(http.HandlerFunc(a.revokeGrant)))
}

// asset serves the embedded stylesheet and script.
func (a *Admin) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	types := map[string]string{"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8", "favicon.svg": "image/svg+xml"}
	ct, ok := types[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	data, err := assets.ReadFile("assets/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(data)
}
