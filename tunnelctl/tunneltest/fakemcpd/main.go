// Command fakemcpd plays mcpd's process contract in tunnelctl tests: the
// flags tunnelctl passes, the token from CODEXPRO_HTTP_TOKEN or --token-file,
// GET /healthz and POST /mcp behind token auth and a Host check.
//
// FAKE_MCPD_FAIL=1 makes it exit at once with an error on stderr.
package main

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mcpd:", err)
		os.Exit(2)
	}
}

func run() error {
	fs := flag.NewFlagSet("mcpd", flag.ContinueOnError)
	root := fs.String("root", "", "")
	host := fs.String("host", "127.0.0.1", "")
	port := fs.Int("port", 8787, "")
	tokenFile := fs.String("token-file", "", "")
	fs.String("transport", "http", "")
	mode := fs.String("mode", "agent", "")
	for _, n := range []string{"write", "tool-mode", "bash", "bash-transcript", "bash-session", "sandbox", "codex-sessions", "log-level"} {
		fs.String(n, "", "")
	}
	fs.Bool("no-bash", false, "")
	var roots multi
	fs.Var(&roots, "allow-root", "")
	fs.Bool("allow-home", false, "")
	noAuth := fs.Bool("no-auth", false, "")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	if os.Getenv("FAKE_MCPD_FAIL") == "1" {
		return errors.New("--root: fake failure requested by FAKE_MCPD_FAIL")
	}
	if *root == "" {
		return errors.New("--root is required")
	}
	if *noAuth {
		return errors.New("--no-auth is not accepted by this fake")
	}
	token, err := loadToken(*tokenFile)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	fmt.Fprintf(os.Stderr, "CODEXPRO_LISTEN http://%s/mcp\n", ln.Addr())
	allowed := allowedHosts(*host, p)
	return http.Serve(ln, guard(token, allowed, handler(*mode)))
}

func loadToken(file string) (string, error) {
	t := os.Getenv("CODEXPRO_HTTP_TOKEN")
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--token-file: %w", err)
		}
		t = strings.TrimSpace(string(b))
	}
	if len(t) < 24 {
		return "", errors.New("CODEXPRO_HTTP_TOKEN must be at least 24 bytes")
	}
	return t, nil
}

func allowedHosts(bind string, port int) map[string]bool {
	m := map[string]bool{}
	for _, h := range []string{bind, "127.0.0.1", "localhost", "[::1]"} {
		m[h+":"+strconv.Itoa(port)] = true
	}
	for _, env := range []string{"CODEXPRO_PUBLIC_HOSTNAME", "CODEXPRO_PUBLIC_HOSTNAMES"} {
		for _, h := range strings.Split(os.Getenv(env), ",") {
			if h = strings.TrimSpace(h); h != "" {
				m[h] = true
			}
		}
	}
	return m
}

func guard(token string, hosts map[string]bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if got == "" {
			got = r.URL.Query().Get("codexpro_token")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		if !hosts[r.Host] {
			http.Error(w, "host not allowed: "+r.Host, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func handler(mode string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "name": "fake-mcpd", "mode": mode, "pid": os.Getpid()})
	})
	mux.HandleFunc("POST /mcp", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     any    `json:"id"`
			Method string `json:"method"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		result := map[string]any{"host": r.Host, "forwarded_host": r.Header.Get("X-Forwarded-Host")}
		switch req.Method {
		case "initialize":
			result["protocolVersion"] = "2025-06-18"
			result["serverInfo"] = map[string]any{"name": "fake-mcpd", "version": "0"}
		case "tools/list":
			result["tools"] = []any{map[string]any{"name": "read_file"}}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
	})
	return mux
}
