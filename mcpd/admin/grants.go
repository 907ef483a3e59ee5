package admin

import (
	"encoding/json"
	"net/http"

	"codexpro.dev/mcpd/oauth"
)

// Grants is what the page needs of the OAuth grant store (--auth oauth).
type Grants interface {
	Grants() []oauth.Grant
	Revoke(id string) (int, error)
}

// getGrants lists the approved clients, without any token digest.
func (a *Admin) getGrants(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "grants": a.grantList()})
}

func (a *Admin) grantList() []oauth.Grant {
	if a.o.Grants == nil {
		return nil
	}
	return a.o.Grants.Grants()
}

// revokeGrant ends one grant, or every grant for id "all", with the same
// checks as a profile save (own Origin, CSRF token, JSON).
func (a *Admin) revokeGrant(w http.ResponseWriter, r *http.Request) {
	if why := a.checkWrite(r); why != "" {
		writeError(w, http.StatusForbidden, "forbidden", "codexpro: revoke refused: "+why)
		return
	}
	if a.o.Grants == nil {
		writeError(w, http.StatusConflict, "no_oauth", "this server does not use OAuth (start it with --auth oauth)")
		return
	}
	var req struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil || req.ID == "" {
		writeError(w, http.StatusBadRequest, "invalid_request", "say which grant to revoke: {\"id\": \"…\"} or {\"id\": \"all\"}")
		return
	}
	n, err := a.o.Grants.Revoke(req.ID)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	a.o.Log.Info().Int("revoked", n).Msg("admin: OAuth grants revoked")
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "revoked": n})
}
