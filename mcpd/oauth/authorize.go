package oauth

import (
	"crypto/rand"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

//go:embed consent.html
var pages embed.FS

var consentPage = template.Must(template.ParseFS(pages, "consent.html"))

// pending is an authorization request waiting for the pairing code.
type pending struct {
	id, csrf            string
	client              Client
	redirect, challenge string
	state, resource     string
	pairing             string // digest of the pairing code
	created             time.Time
	tries               int
}

// issued is an authorization code (stored by digest) until it is used.
type issued struct {
	client, redirect, challenge, resource string
	expires                               time.Time
	grant                                 string // the grant it became; a second use revokes it
}

// pairingAlphabet has no look-alike characters (0/O, 1/I/L).
const pairingAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newPairingCode is eight characters shown as XXXX-XXXX: about 40 bits,
// of which a guesser gets five tries per request and ten a minute.
func newPairingCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	out := make([]byte, 0, 9)
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, pairingAlphabet[int(c)%len(pairingAlphabet)])
	}
	return string(out)
}

// normalizePairing accepts the code as typed: any case, spaces, a dash or not.
func normalizePairing(s string) string {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(s))
	if len(s) == 8 {
		s = s[:4] + "-" + s[4:]
	}
	return s
}

// authorizePage validates the request and shows the consent page. Until
// the client and its redirect URI are known good, errors are shown here and
// never sent to the redirect URI.
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c, ok := s.o.Store.client(q.Get("client_id"))
	if !ok {
		s.showError(w, http.StatusBadRequest, "This client is not registered with this CodexPro server (or its registration expired). Add the connector again.")
		return
	}
	redirect := q.Get("redirect_uri")
	if !contains(c.RedirectURIs, redirect) {
		s.showError(w, http.StatusBadRequest, "The redirect address is not one this client registered; nothing was sent to it.")
		return
	}
	fail := func(code, desc string) {
		redirectWith(w, r, redirect, url.Values{"error": {code}, "error_description": {desc}, "state": {q.Get("state")}})
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only response_type=code is offered")
		return
	case q.Get("code_challenge_method") != "S256" || !validVerifierShape(q.Get("code_challenge")):
		fail("invalid_request", "PKCE with code_challenge_method=S256 is required")
		return
	case q.Get("resource") != "" && q.Get("resource") != Resource(r):
		fail("invalid_target", "resource must be "+Resource(r))
		return
	case q.Get("scope") != "" && q.Get("scope") != Scope:
		fail("invalid_scope", "the only scope is "+Scope)
		return
	}
	code := newPairingCode()
	p := &pending{id: newSecret(), csrf: newSecret(), client: c, redirect: redirect, challenge: q.Get("code_challenge"),
		state: q.Get("state"), resource: Resource(r), pairing: digest(code), created: s.o.Now()}
	if !s.addPending(p) {
		s.showError(w, http.StatusTooManyRequests, "Too many approvals are waiting. Try again in a few minutes.")
		return
	}
	if s.o.Announce != nil {
		s.o.Announce(c.Name, code, pairingTTL)
	}
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: p.csrf, Path: "/oauth/authorize", HttpOnly: true,
		Secure: strings.HasPrefix(Base(r), "https:"), SameSite: http.SameSiteStrictMode, MaxAge: int(pairingTTL.Seconds())})
	s.render(w, http.StatusOK, p, "")
}

const csrfCookie = "codexpro_consent"

// authorizeSubmit checks the pairing code and sends the code to the client.
func (s *Server) authorizeSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.showError(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	cookie, _ := r.Cookie(csrfCookie)
	s.mu.Lock()
	p := s.pending[r.PostForm.Get("request")]
	if p == nil || s.o.Now().Sub(p.created) > pairingTTL {
		delete(s.pending, r.PostForm.Get("request"))
		s.mu.Unlock()
		s.showError(w, http.StatusBadRequest, "This approval has expired or was already answered. Start again from your client.")
		return
	}
	if cookie == nil || !sameDigest(digest(cookie.Value), digest(p.csrf)) || !sameDigest(digest(r.PostForm.Get("csrf")), digest(p.csrf)) {
		s.mu.Unlock()
		s.showError(w, http.StatusForbidden, "This form did not come from the page CodexPro showed you; nothing was approved.")
		return
	}
	if r.PostForm.Get("action") == "deny" {
		delete(s.pending, p.id)
		s.mu.Unlock()
		redirectWith(w, r, p.redirect, url.Values{"error": {"access_denied"}, "state": {p.state}, "iss": {Base(r)}})
		return
	}
	if s.throttled() {
		s.mu.Unlock()
		s.showError(w, http.StatusTooManyRequests, "Too many wrong pairing codes in the last minute. Wait a minute, then try again.")
		return
	}
	if !sameDigest(digest(normalizePairing(r.PostForm.Get("code"))), p.pairing) {
		p.tries++
		s.tries = append(s.tries, s.o.Now())
		if p.tries >= maxCodeTries {
			delete(s.pending, p.id)
			s.mu.Unlock()
			s.showError(w, http.StatusForbidden, "Too many wrong pairing codes. This approval is void; start again from your client.")
			return
		}
		s.mu.Unlock()
		s.render(w, http.StatusUnprocessableEntity, p, "That is not the code mcpd shows in its terminal. Check it and try again.")
		return
	}
	delete(s.pending, p.id)
	for k, old := range s.codes { // a used code is kept until it expires, to catch a second use
		if s.o.Now().After(old.expires) {
			delete(s.codes, k)
		}
	}
	code := newSecret()
	s.codes[digest(code)] = &issued{client: p.client.ID, redirect: p.redirect, challenge: p.challenge,
		resource: p.resource, expires: s.o.Now().Add(codeTTL)}
	s.mu.Unlock()
	redirectWith(w, r, p.redirect, url.Values{"code": {code}, "state": {p.state}, "iss": {Base(r)}})
}

// addPending keeps at most maxPending live requests.
func (s *Server) addPending(p *pending) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, old := range s.pending {
		if s.o.Now().Sub(old.created) > pairingTTL {
			delete(s.pending, id)
		}
	}
	if len(s.pending) >= maxPending {
		return false
	}
	s.pending[p.id] = p
	return true
}

// throttled reports whether wrong codes in the last minute reached the
// limit; the caller holds s.mu.
func (s *Server) throttled() bool {
	cut := s.o.Now().Add(-time.Minute)
	kept := s.tries[:0]
	for _, t := range s.tries {
		if t.After(cut) {
			kept = append(kept, t)
		}
	}
	s.tries = kept
	return len(s.tries) >= triesPerMinute
}

// consentView is what the page shows.
type consentView struct {
	Client, RedirectHost, Request, CSRF, Error string
	Access                                     []string
	Minutes                                    int
}

func (s *Server) render(w http.ResponseWriter, status int, p *pending, msg string) {
	u, _ := url.Parse(p.redirect)
	setPageHeaders(w, u.Scheme+"://"+u.Host)
	w.WriteHeader(status)
	_ = consentPage.Execute(w, consentView{Client: p.client.Name, RedirectHost: u.Host, Request: p.id, CSRF: p.csrf,
		Error: msg, Access: s.o.Access, Minutes: int(pairingTTL.Minutes())})
}

func (s *Server) showError(w http.ResponseWriter, status int, msg string) {
	setPageHeaders(w, "")
	w.WriteHeader(status)
	_ = consentPage.Execute(w, consentView{Error: msg})
}

// setPageHeaders: no script at all, styles only from the page itself, the
// form may post only here and (for the redirect that follows) to the
// client's own origin, and no one may frame the page.
func setPageHeaders(w http.ResponseWriter, redirectOrigin string) {
	formAction := "'self'"
	if redirectOrigin != "" {
		formAction += " " + redirectOrigin
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action "+formAction+
		"; frame-ancestors 'none'; base-uri 'none'")
	w.Header().Set("Cache-Control", "no-store")
}

func redirectWith(w http.ResponseWriter, r *http.Request, redirect string, v url.Values) {
	u, _ := url.Parse(redirect)
	q := u.Query()
	for k, vs := range v {
		if len(vs) > 0 && vs[0] != "" {
			q.Set(k, vs[0])
		}
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
