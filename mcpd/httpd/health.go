package httpd

import (
	"encoding/json"
	"net/http"
)

// healthHandler serves GET /healthz. It sits behind the same authentication
// as everything else because it reveals roots and modes.
func healthHandler(health func() any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "codexpro: /healthz accepts GET or HEAD", http.StatusMethodNotAllowed)
			return
		}
		var body any = map[string]bool{"ok": true}
		if health != nil {
			body = health()
		}
		data, err := json.Marshal(body)
		if err != nil {
			http.Error(w, "codexpro: encoding the health report failed: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(append(data, '\n'))
	})
}
