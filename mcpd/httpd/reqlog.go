package httpd

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/rs/zerolog"
)

type requestIDKey struct{}

// RequestID returns the id the guard gave the request, for handlers that
// want to tie their own log lines to the request line.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b[:])
}

// maxLoggedPath keeps a hostile client from filling the log with one line.
const maxLoggedPath = 256

// logRequest writes one line per request. It logs the path and never the
// query string, where the codexpro_token parameter lives, nor any header.
func logRequest(log zerolog.Logger, r *http.Request, rec *recorder, id string, took time.Duration, refusal string) {
	path := r.URL.Path
	if len(path) > maxLoggedPath {
		path = path[:maxLoggedPath] + "…"
	}
	ev := log.Info()
	if refusal != "" {
		ev = log.Warn().Str("refused", refusal)
	}
	ev.Str("request_id", id).
		Str("method", r.Method).
		Str("path", path).
		Int("status", rec.status).
		Dur("duration", took).
		Int64("bytes", rec.bytes).
		Str("remote", clientKey(r)).
		Msg("http request")
}

// recorder notes the status and size for the log line. It keeps Flush and
// Unwrap so mcp-go's SSE streaming and http.ResponseController still work.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (w *recorder) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recorder) Write(p []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

func (w *recorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func contextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}
