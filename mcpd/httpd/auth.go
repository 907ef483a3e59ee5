package httpd

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// credential checks presented tokens against the configured one. Both sides
// are hashed first so the comparison takes the same time whatever the
// presented length: subtle.ConstantTimeCompare alone returns early on a
// length mismatch and would reveal the token's length.
type credential struct {
	sum [sha256.Size]byte
	set bool
}

func newCredential(token string) credential {
	return credential{sum: sha256.Sum256([]byte(token)), set: token != ""}
}

func (c credential) matches(presented string) bool {
	if !c.set || presented == "" {
		return false
	}
	got := sha256.Sum256([]byte(presented))
	return subtle.ConstantTimeCompare(got[:], c.sum[:]) == 1
}

// authorized reports whether r carries the token in one of the two accepted
// places: an Authorization Bearer header or the codexpro_token query
// parameter. Anything else (other headers, other parameters, cookies, Basic
// auth) is ignored on purpose so there is exactly one way in; the admin
// page's cookie is checked separately, and only on its own routes.
func (c credential) authorized(r *http.Request) bool {
	if tok, ok := bearerToken(r.Header.Get("Authorization")); ok && c.matches(tok) {
		return true
	}
	return c.matches(r.URL.Query().Get(TokenQueryParam))
}

// bearerToken parses "Bearer <token>" with a case-insensitive scheme and any
// run of spaces or tabs around the token.
func bearerToken(header string) (string, bool) {
	header = strings.TrimSpace(header)
	i := strings.IndexAny(header, " \t")
	if i < 0 || !strings.EqualFold(header[:i], "Bearer") {
		return "", false
	}
	tok := strings.TrimSpace(header[i:])
	return tok, tok != ""
}

// withoutCredentials returns a copy of r from which the token has been
// removed, so handlers behind the guard cannot log or echo it by accident.
func withoutCredentials(r *http.Request) *http.Request {
	_, hasBearer := bearerToken(r.Header.Get("Authorization"))
	inQuery := r.URL.Query().Has(TokenQueryParam) // also catches a percent-encoded name
	if !hasBearer && !inQuery {
		return r
	}
	r2 := r.Clone(r.Context())
	if hasBearer {
		r2.Header.Del("Authorization")
	}
	if inQuery {
		q := r2.URL.Query()
		q.Del(TokenQueryParam)
		r2.URL.RawQuery = q.Encode()
		r2.RequestURI = r2.URL.RequestURI()
	}
	return r2
}
