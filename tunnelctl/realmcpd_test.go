package tunnelctl

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestUpRealMcpd runs the real mcpd under tunnelctl and reaches it the way
// ChatGPT would: the public connector URL, through the (fake) tunnel, which
// forwards with --http-host-header so mcpd's Host check holds.
func TestUpRealMcpd(t *testing.T) {
	bin := os.Getenv("CODEXPRO_BIN")
	real := filepath.Join(bin, "mcpd")
	if _, err := os.Stat(real); bin == "" || err != nil {
		t.Skip("skipping: set CODEXPRO_BIN to a directory holding a built mcpd (make build) to run tunnelctl against the real mcpd")
	}
	r := startUp(t, func(o *Options) { o.McpdBin = real })
	base, token := r.waitReady(1)
	hc := &http.Client{Transport: edgeTransport{edges: r.edges}, Timeout: 20 * time.Second}

	resp, err := hc.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("public /healthz without a token: HTTP %d, want 401", resp.StatusCode)
	}

	tools := listThroughTunnel(t, ConnectorURL(base, token), hc, nil, r.log.String())
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	if len(names) == 0 {
		t.Fatal("mcpd listed no tools through the tunnel")
	}
	t.Logf("tools through the tunnel: %s", strings.Join(names, ", "))
}

// TestUpRealMcpdProviders: the real mcpd behind ngrok's reserved domain
// and behind Tailscale Funnel, reached through each fake's forwarder with
// the public Host (which mcpd must accept) and the connector URL.
func TestUpRealMcpdProviders(t *testing.T) {
	bin := os.Getenv("CODEXPRO_BIN")
	real := filepath.Join(bin, "mcpd")
	if _, err := os.Stat(real); bin == "" || err != nil {
		t.Skip("skipping: set CODEXPRO_BIN to a directory holding a built mcpd (make build) to run tunnelctl against the real mcpd")
	}
	for name, up := range map[string]func(*testing.T) *upRun{
		"ngrok": func(t *testing.T) *upRun {
			r, _ := ngrokUp(t, func(o *Options) { o.McpdBin = real })
			return r
		},
		"tailscale": func(t *testing.T) *upRun { return tailscaleUp(t, "", func(o *Options) { o.McpdBin = real }).upRun },
	} {
		t.Run(name, func(t *testing.T) {
			r := up(t)
			base, token := r.waitReady(1)
			hc := &http.Client{Transport: edgeTransport{edges: r.edges}, Timeout: 20 * time.Second}
			if tools := listThroughTunnel(t, ConnectorURL(base, token), hc, nil, r.log.String()); len(tools.Tools) == 0 {
				t.Fatalf("mcpd listed no tools through %s", name)
			}
		})
	}
}

// TestUpRealMcpdOAuth: with --auth oauth the announced URL carries no
// token, and a client goes the whole way through the (fake) tunnel: a 401
// naming the public https metadata, discovery, registration, the approval
// page answered with the pairing code tunnelctl shows from mcpd, a PKCE
// token exchange, and tools/list with the access token. No credential
// appears in tunnelctl's output, log or runtime file.
func TestUpRealMcpdOAuth(t *testing.T) {
	bin := os.Getenv("CODEXPRO_BIN")
	real := filepath.Join(bin, "mcpd")
	if _, err := os.Stat(real); bin == "" || err != nil {
		t.Skip("skipping: set CODEXPRO_BIN to a directory holding a built mcpd (make build) to run tunnelctl against the real mcpd")
	}
	r := startUp(t, func(o *Options) {
		o.McpdBin = real
		o.McpdArgs = append(o.McpdArgs, "--auth", "oauth")
		o.Exposure.Auth = "oauth"
		o.Headless = false // the person at this terminal reads the pairing code
	})
	serverURL := regexp.MustCompile(`Server URL +(https://\S+)`)
	var line string
	for deadline := time.Now().Add(20 * time.Second); line == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := serverURL.FindStringSubmatch(r.out.String()); m != nil {
			line = m[1]
		}
	}
	if line == "" || strings.Contains(line, "codexpro_token") || !strings.HasSuffix(line, "/mcp") ||
		!strings.Contains(r.out.String(), "Authentication  OAuth") {
		t.Fatalf("ready block: want the public /mcp URL with no token and OAuth\nstdout:\n%s\nlog:\n%s", r.out, r.log)
	}
	base := strings.TrimSuffix(line, "/mcp")
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Transport: edgeTransport{edges: r.edges}, Timeout: 20 * time.Second, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	resp, err := hc.Post(line, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := `resource_metadata="` + base + `/.well-known/oauth-protected-resource"`
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), want) {
		t.Fatalf("public /mcp without a token: %d %q, want 401 with %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), want)
	}
	var meta struct {
		Issuer                string `json:"issuer"`
		RegistrationEndpoint  string `json:"registration_endpoint"`
		AuthorizationEndpoint string `json:"authorization_endpoint"`
		TokenEndpoint         string `json:"token_endpoint"`
	}
	getJSON(t, hc, base+"/.well-known/oauth-authorization-server", &meta)
	if meta.Issuer != base || !strings.HasPrefix(meta.TokenEndpoint, base+"/") {
		t.Fatalf("authorization server metadata through the tunnel: %+v", meta)
	}

	const redirect = "http://127.0.0.1:9/callback"
	var reg struct {
		ClientID string `json:"client_id"`
	}
	postJSON(t, hc, meta.RegistrationEndpoint, `{"client_name":"tunnel e2e","redirect_uris":["`+redirect+`"],"token_endpoint_auth_method":"none"}`, &reg)
	verifier := strings.Repeat("verifier-", 6)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {reg.ClientID}, "redirect_uri": {redirect}, "state": {"s1"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}, "resource": {line}}
	resp, err = hc.Get(meta.AuthorizationEndpoint + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]+)"`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("approval page (%d) has no %s:\n%s", resp.StatusCode, name, page)
		}
		return string(m[1])
	}
	pairing := regexp.MustCompile(`Pairing code for "tunnel e2e": ([A-Z0-9]{4}-[A-Z0-9]{4})`)
	var code []string
	for deadline := time.Now().Add(10 * time.Second); code == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		code = pairing.FindStringSubmatch(r.out.String())
	}
	if code == nil {
		t.Fatalf("tunnelctl did not show mcpd's pairing code:\n%s", r.out)
	}
	resp, err = hc.PostForm(base+"/oauth/authorize", url.Values{"request": {field("request")}, "csrf": {field("csrf")},
		"code": {code[1]}, "action": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || loc == nil || loc.Query().Get("code") == "" || loc.Query().Get("iss") != base {
		t.Fatalf("approval through the tunnel: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, err = hc.PostForm(meta.TokenEndpoint, url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")},
		"client_id": {reg.ClientID}, "redirect_uri": {redirect}, "code_verifier": {verifier}, "resource": {line}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok.AccessToken == "" {
		t.Fatalf("token exchange through the tunnel: %d", resp.StatusCode)
	}

	if tools := listThroughTunnel(t, line, &http.Client{Transport: edgeTransport{edges: r.edges}},
		map[string]string{"Authorization": "Bearer " + tok.AccessToken}, r.log.String()); len(tools.Tools) == 0 {
		t.Fatal("mcpd listed no tools for the access token through the tunnel")
	}
	runtime, _ := os.ReadFile(RuntimePath(r.home, r.opts.Root))
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken, loc.Query().Get("code")} {
		for where, text := range map[string]string{"stdout": r.out.String(), "log": r.log.String(), "runtime file": string(runtime)} {
			if strings.Contains(text, secret) {
				t.Errorf("tunnelctl's %s holds a usable OAuth credential", where)
			}
		}
	}
}

func getJSON(t *testing.T, hc *http.Client, u string, v any) {
	t.Helper()
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
}

func postJSON(t *testing.T, hc *http.Client, u, body string, v any) {
	t.Helper()
	resp, err := hc.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil || resp.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %v", u, resp.StatusCode, err)
	}
}

// listThroughTunnel connects an mcp-go client to u through hc (the fake
// tunnel's edge), initializes and lists the tools.
func listThroughTunnel(t *testing.T, u string, hc *http.Client, headers map[string]string, log string) *mcp.ListToolsResult {
	t.Helper()
	c, err := client.NewStreamableHttpClient(u, transport.WithHTTPBasicClient(hc), transport.WithHTTPHeaders(headers))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var ir mcp.InitializeRequest
	ir.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	ir.Params.ClientInfo = mcp.Implementation{Name: "tunnelctl-e2e", Version: "0"}
	if _, err := c.Initialize(ctx, ir); err != nil {
		t.Fatalf("initialize through the tunnel: %v\nlog:\n%s", err, log)
	}
	tools, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list through the tunnel: %v", err)
	}
	return tools
}
