package oauth

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
)

// registration is the part of an RFC 7591 request mcpd reads.
type registration struct {
	RedirectURIs            []string `json:"redirect_uris"`
	ClientName              string   `json:"client_name"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
}

// register takes public clients only: no secret is issued, PKCE is what
// binds a code to the client that asked for it.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var req registration
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_client_metadata", "the body must be a JSON client registration")
		return
	}
	if msg := s.checkRegistration(&req); msg != "" {
		code := "invalid_client_metadata"
		if strings.HasPrefix(msg, "redirect") {
			code = "invalid_redirect_uri"
		}
		oauthError(w, http.StatusBadRequest, code, msg)
		return
	}
	now := s.o.Now()
	c := Client{ID: newSecret()[:32], Name: req.ClientName, RedirectURIs: req.RedirectURIs, Created: now, Expires: now.Add(clientTTL)}
	err := s.o.Store.update(func(st *state) error {
		if len(st.Clients) >= maxClients && !dropOldestUnapproved(st) {
			return fmt.Errorf("too many approved clients (%d); revoke unused grants with mcpd auth revoke", maxClients)
		}
		st.Clients = append(st.Clients, c)
		return nil
	})
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_client_metadata", err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"client_id": c.ID, "client_id_issued_at": c.Created.Unix(), "client_name": c.Name,
		"redirect_uris": c.RedirectURIs, "token_endpoint_auth_method": "none",
		"grant_types": []string{"authorization_code", "refresh_token"}, "response_types": []string{"code"},
	})
}

// checkRegistration returns what is wrong with req, or "".
func (s *Server) checkRegistration(req *registration) string {
	if req.TokenEndpointAuthMethod != "" && req.TokenEndpointAuthMethod != "none" {
		return "only public clients (token_endpoint_auth_method none, with PKCE) can register"
	}
	for _, g := range req.GrantTypes {
		if g != "authorization_code" && g != "refresh_token" {
			return fmt.Sprintf("grant type %q is not offered: only authorization_code and refresh_token", g)
		}
	}
	for _, rt := range req.ResponseTypes {
		if rt != "code" {
			return fmt.Sprintf("response type %q is not offered: only code", rt)
		}
	}
	req.ClientName = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, req.ClientName))
	if req.ClientName == "" {
		req.ClientName = "unnamed client"
	}
	if len([]rune(req.ClientName)) > 80 {
		req.ClientName = string([]rune(req.ClientName)[:80])
	}
	if len(req.RedirectURIs) == 0 || len(req.RedirectURIs) > 5 {
		return "redirect_uris must list 1 to 5 URIs"
	}
	for _, u := range req.RedirectURIs {
		if msg := s.checkRedirect(u); msg != "" {
			return msg
		}
	}
	return ""
}

// checkRedirect allows https on an allow-listed host, or http on a
// loopback address (a local client's own listener).
func (s *Server) checkRedirect(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return fmt.Sprintf("redirect URI %q must be an absolute URL with a host, no user info and no fragment", raw)
	}
	host := strings.ToLower(u.Hostname())
	switch u.Scheme {
	case "https":
		if slices.Contains(s.o.RedirectHosts, host) || isLoopbackName(host) {
			return ""
		}
		return fmt.Sprintf("redirect URI %q: host %s is not on the allow-list (%s); add it with CODEXPRO_OAUTH_REDIRECT_HOSTS",
			raw, host, strings.Join(s.o.RedirectHosts, ", "))
	case "http":
		if isLoopbackName(host) {
			return ""
		}
		return fmt.Sprintf("redirect URI %q: plain http is allowed only to a loopback address", raw)
	}
	return fmt.Sprintf("redirect URI %q: the scheme must be https (or http to loopback)", raw)
}

func isLoopbackName(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// dropOldestUnapproved makes room by forgetting the oldest client that holds
// no grant: registration is open to anyone who knows the URL, so a flood of
// registrations must not lock the user's own connector out.
func dropOldestUnapproved(st *state) bool {
	approved := map[string]bool{}
	for _, g := range st.Grants {
		approved[g.ClientID] = true
	}
	oldest := -1
	for i, c := range st.Clients {
		if !approved[c.ID] && (oldest < 0 || c.Created.Before(st.Clients[oldest].Created)) {
			oldest = i
		}
	}
	if oldest < 0 {
		return false
	}
	st.Clients = append(st.Clients[:oldest], st.Clients[oldest+1:]...)
	return true
}
