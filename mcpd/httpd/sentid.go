package httpd

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// withSentID returns w, or, when mcp-go would write the request id other
// than as the client sent it, w rewriting it back. mcp-go decodes an id
// into an `any`, so a number is a float64 (9007199254740993 comes back as
// 9007199254740992) and a string is re-escaped; the answer and any error
// it writes start with the id it decoded, and nothing else it writes on
// this request carries that id.
func withSentID(w http.ResponseWriter, id json.RawMessage) http.ResponseWriter {
	if id == nil {
		return w
	}
	var v any
	if json.Unmarshal(id, &v) != nil {
		return w
	}
	decoded, err := json.Marshal(v)
	if err != nil || bytes.Equal(decoded, id) {
		return w
	}
	const head = `{"jsonrpc":"2.0","id":`
	return &sentIDWriter{ResponseWriter: w,
		from: append(append([]byte(head), decoded...), ','), to: append(append([]byte(head), id...), ',')}
}

// sentIDWriter replaces mcp-go's envelope head with the one holding the id
// as sent. mcp-go writes each message in one Write (json.Encoder, or one
// SSE event) and sets no Content-Length, so a longer id is safe.
type sentIDWriter struct {
	http.ResponseWriter
	from, to []byte
}

func (w *sentIDWriter) Write(p []byte) (int, error) {
	if _, err := w.ResponseWriter.Write(bytes.Replace(p, w.from, w.to, -1)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w *sentIDWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *sentIDWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
