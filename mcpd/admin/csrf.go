package admin

import (
	"crypto/subtle"
	"mime"
	"net/http"
	"strings"
)

// CSRFHeader carries the page's CSRF token on state-changing requests.
const CSRFHeader = "X-CodexPro-CSRF"

// checkWrite refuses a state-changing request unless it comes from this
// page: the browser must send its Origin and it must be this server's own
// (the guard accepts other configured origins, e.g. chatgpt.com; this does
// not), Sec-Fetch-Site (when sent) must say same-origin, the CSRF token from
// the page must match, and the body must be JSON. It returns the reason for
// a refusal, or "".
func (a *Admin) checkWrite(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return "the request has no Origin header; save from the admin page"
	}
	if !strings.EqualFold(origin, scheme+"://"+r.Host) {
		return "Origin " + origin + " is not this page (" + scheme + "://" + r.Host + ")"
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return "Sec-Fetch-Site is " + site + ", not same-origin"
	}
	if got := r.Header.Get(CSRFHeader); subtle.ConstantTimeCompare([]byte(got), []byte(a.csrf)) != 1 {
		return "missing or wrong " + CSRFHeader + " token; reload the admin page"
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return "Content-Type must be application/json"
	}
	return ""
}
