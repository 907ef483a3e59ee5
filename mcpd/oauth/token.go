package oauth

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// validVerifierShape: 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636);
// an S256 challenge has the same shape.
func validVerifierShape(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c)) {
			return false
		}
	}
	return true
}

// tokenResponse issues a fresh pair for g and returns what the client gets.
func tokenResponse(g *Grant, now time.Time) map[string]any {
	access, refresh := newSecret(), newSecret()
	if g.Refresh != "" {
		g.Spent = append(g.Spent, g.Refresh)
		if len(g.Spent) > 32 {
			g.Spent = g.Spent[len(g.Spent)-32:]
		}
	}
	g.Access, g.AccessExp = digest(access), now.Add(accessTTL)
	g.Refresh, g.RefreshExp = digest(refresh), now.Add(refreshTTL)
	return map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": int(accessTTL.Seconds()),
		"refresh_token": refresh, "scope": g.Scope}
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be form-encoded")
		return
	}
	f := r.PostForm
	if res := f.Get("resource"); res != "" && res != Resource(r) {
		oauthError(w, http.StatusBadRequest, "invalid_target", "tokens here are only for "+Resource(r))
		return
	}
	switch f.Get("grant_type") {
	case "authorization_code":
		s.exchangeCode(w, r)
	case "refresh_token":
		s.refresh(w, r)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "only authorization_code and refresh_token are offered")
	}
}

// exchangeCode trades a code for tokens once. A code presented a second
// time revokes what the first use created: someone else had it.
func (s *Server) exchangeCode(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	key := digest(f.Get("code"))
	s.mu.Lock()
	is := s.codes[key]
	switch {
	case is == nil || s.o.Now().After(is.expires):
		delete(s.codes, key)
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the authorization code is unknown or expired")
		return
	case is.grant != "":
		grant := is.grant
		s.mu.Unlock()
		_, _ = s.o.Store.Revoke(grant)
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the authorization code was already used; its grant is revoked")
		return
	}
	challenge := base64.RawURLEncoding.EncodeToString(sumOf(f.Get("code_verifier")))
	if is.client != f.Get("client_id") || is.redirect != f.Get("redirect_uri") || is.resource != Resource(r) ||
		!validVerifierShape(f.Get("code_verifier")) || !sameDigest(challenge, is.challenge) {
		delete(s.codes, key) // one wrong try spends the code
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_grant", "client_id, redirect_uri, resource or code_verifier does not match the authorization")
		return
	}
	now := s.o.Now()
	g := Grant{ID: newSecret()[:12], ClientID: is.client, Resource: is.resource, Scope: Scope, Created: now, LastUsed: now}
	is.grant = g.ID
	s.mu.Unlock()
	c, _ := s.o.Store.client(g.ClientID)
	g.Client = c.Name
	body := tokenResponse(&g, now)
	if err := s.o.Store.update(func(st *state) error { st.Grants = append(st.Grants, g); return nil }); err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", "the grant could not be saved")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func sumOf(s string) []byte {
	b := sha256.Sum256([]byte(s))
	return b[:]
}

// refresh rotates the pair. A refresh token that was already rotated away
// revokes the grant: two parties hold it.
func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	presented := digest(f.Get("refresh_token"))
	var body map[string]any
	var replayed bool
	now := s.o.Now()
	err := s.o.Store.update(func(st *state) error {
		for i := range st.Grants {
			g := &st.Grants[i]
			if g.ClientID != f.Get("client_id") || g.Resource != Resource(r) {
				continue
			}
			if sameDigest(g.Refresh, presented) && now.Before(g.RefreshExp) {
				body = tokenResponse(g, now)
				g.LastUsed = now
				return nil
			}
			for _, spent := range g.Spent {
				if sameDigest(spent, presented) {
					replayed = true
					st.Grants = append(st.Grants[:i], st.Grants[i+1:]...)
					return nil
				}
			}
		}
		return nil
	})
	switch {
	case err != nil:
		oauthError(w, http.StatusInternalServerError, "server_error", "the grant could not be saved")
	case replayed:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "this refresh token was already used; the grant is revoked")
	case body == nil:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the refresh token is unknown, expired or not for this client")
	default:
		writeJSON(w, http.StatusOK, body)
	}
}

// revoke ends the grant a token belongs to (RFC 7009: always 200).
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be form-encoded")
		return
	}
	d := digest(r.PostForm.Get("token"))
	_ = s.o.Store.update(func(st *state) error {
		kept := st.Grants[:0]
		for _, g := range st.Grants {
			if !sameDigest(g.Access, d) && !sameDigest(g.Refresh, d) {
				kept = append(kept, g)
			}
		}
		st.Grants = kept
		return nil
	})
	w.WriteHeader(http.StatusOK)
}

// Verify reports whether r carries a live access token for this server's
// /mcp resource in its Authorization header (never the URL).
func (s *Server) Verify(r *http.Request, bearer string) bool {
	if bearer == "" {
		return false
	}
	d, res, now := digest(bearer), Resource(r), s.o.Now()
	return s.o.Store.touch(func(g *Grant) bool {
		return sameDigest(g.Access, d) && now.Before(g.AccessExp) && g.Resource == res
	}, now)
}
