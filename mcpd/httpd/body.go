package httpd

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"
)

// bodyReadTimeout bounds how long a client may trickle a request body; the
// server has no ReadTimeout because long-lived GET streams must survive.
const bodyReadTimeout = 2 * time.Minute

const payloadTooLarge = `{"jsonrpc":"2.0","error":{"code":-32000,"message":"Payload too large."},"id":null}`

// readBody replaces r.Body with an in-memory copy of at most max bytes.
// A declared Content-Length over the limit is refused before a byte is read;
// a chunked body is read up to max+1 bytes and then refused. mcp-go reads
// the whole body anyway, so buffering it here costs no extra peak memory
// class, and it lets the guard answer 413 instead of mcp-go's parse error.
func readBody(w http.ResponseWriter, r *http.Request, max int64) (ok bool, reason string) {
	if r.Body == nil || r.Body == http.NoBody {
		return true, ""
	}
	if r.ContentLength > max {
		writeTooLarge(w)
		return false, "body-too-large"
	}
	// Writers without deadline support (test recorders) just skip the
	// deadline; the size limit holds either way.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(bodyReadTimeout))
	data, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	_ = rc.SetReadDeadline(time.Time{})
	if err != nil {
		w.Header().Set("Connection", "close")
		http.Error(w, fmt.Sprintf("codexpro: reading the request body failed: %v", err), http.StatusBadRequest)
		return false, "body-read"
	}
	if int64(len(data)) > max {
		writeTooLarge(w)
		return false, "body-too-large"
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	return true, ""
}

// writeTooLarge closes the connection so net/http does not try to drain the
// rest of an oversized body.
func writeTooLarge(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Connection", "close")
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	_, _ = io.WriteString(w, payloadTooLarge)
}
