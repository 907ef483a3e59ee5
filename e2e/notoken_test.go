package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
)

// TestClientsWithoutToken: each real client, connecting without the token,
// is refused with a message that tells its user what is missing.
func TestClientsWithoutToken(t *testing.T) {
	s := needSuite(t)
	srv := startHTTP(t, "no-token clients")
	attempts := map[string]func(t *testing.T) string{
		"mcp-go": func(t *testing.T) string {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := client.NewStreamableHttpClient(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			err = c.Start(ctx)
			if err == nil {
				_, err = c.Initialize(ctx, initRequest())
			}
			switch {
			case err == nil:
				return ""
			case errors.Is(err, transport.ErrAuthorizationRequired), errors.Is(err, transport.ErrUnauthorized):
				return "401: " + err.Error() // mcp-go's name for a 401 without OAuth
			}
			return err.Error()
		},
		"ts-sdk": func(t *testing.T) string {
			nodeModules(t, s)
			job, _ := json.Marshal(tsJob{Transport: "http", URL: srv.URL})
			stdout, _, _ := runNode(s, "ts-sdk without token", job, "node", "ts-client.mjs")
			var out tsOutput
			if err := json.Unmarshal(stdout, &out); err != nil {
				t.Fatalf("ts-sdk output is not JSON: %v: %s", err, stdout)
			}
			return out.Error
		},
		"inspector": func(t *testing.T) string {
			nodeModules(t, s)
			bin := filepath.Join(s.clients, "node_modules", ".bin", "mcp-inspector")
			stdout, stderr, err := runNode(s, "inspector without token", nil, bin, "--cli", srv.URL,
				"--transport", "http", "--stored-auth-only", "--method", "tools/list", "-q", "--format", "json")
			if err == nil {
				return ""
			}
			return string(stdout) + string(stderr)
		},
	}
	for name, attempt := range attempts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			msg := attempt(t)
			if msg == "" {
				t.Fatal("connected and listed tools without a token")
			}
			if !strings.Contains(msg, "401") && !strings.Contains(msg, "auth_required") {
				t.Errorf("the refusal does not say authentication failed: %s", msg)
			}
			// mcpd's 401 body says how to send the token; the node clients show it.
			if !strings.Contains(msg, "Bearer") && name != "mcp-go" {
				t.Errorf("the refusal does not tell the user how to send the token: %s", msg)
			}
			srv.alive(t)
		})
	}
}
