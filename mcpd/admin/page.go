package admin

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"

	"codexpro.dev/mcpd/httpd"
)

var pageTemplate = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"lines": func(list []string) string { return strings.Join(list, "\n") },
	"list":  func(items ...string) []string { return items },
}).ParseFS(assets, "assets/page.html"))

// page renders the admin page and trades the URL token for the admin
// cookie: the script then drops the token from the address bar, and later
// requests authenticate with the cookie (dropping the token without a
// cookie would fail every save with 401).
func (a *Admin) page(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, a.view()); err != nil {
		a.o.Log.Error().Err(err).Msg("admin: render page")
		http.Error(w, "codexpro: could not render the admin page", http.StatusInternalServerError)
		return
	}
	if tok := a.o.Settings.Token; tok != "" {
		http.SetCookie(w, &http.Cookie{
			Name: httpd.AdminCookieName, Value: httpd.AdminCookieValue(tok), Path: "/",
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
		})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}
