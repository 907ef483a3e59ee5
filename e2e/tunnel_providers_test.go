//go:build linux

package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

const (
	ngrokHost = "x.ngrok.app"
	tsHost    = "box.tail0fake.ts.net" // the fake tailscale's MagicDNS name
)

// providerLive is the part of `tunnelctl status --json` these tests read.
type providerLive struct {
	Root     string `json:"root"`
	Provider string `json:"provider"`
	Edge     struct {
		PID      int  `json:"pid"`
		Restarts int  `json:"restarts"`
		Detached bool `json:"detached"`
	} `json:"edge"`
	EdgeReady bool `json:"edge_ready"`
}

// TestTunnelProviders drives the built tunnelctl headless with --provider
// ngrok (a reserved domain) and --provider tailscale (Funnel), the fake
// ngrok and tailscale standing in for the real ones and a local HTTPS
// proxy for their public side: the ready line carries the provider's URL;
// tools/list answers through the fake's forwarder with the token; a
// killed ngrok (or a funnel that disappears) is back within 10 s; `down`
// stops everything and turns the funnel off; no token is on any
// /proc/*/cmdline, and neither token nor the ngrok authtoken is in the
// output (the connector token only in the ready line) or the runtime file.
func TestTunnelProviders(t *testing.T) {
	s := needSuite(t)
	tunnelctl := filepath.Join(filepath.Dir(s.mcpd), "tunnelctl")
	if _, err := os.Stat(tunnelctl); err != nil {
		t.Skipf("no tunnelctl beside mcpd (make build): %v", err)
	}
	dir := t.TempDir()
	ngrok, tailscale := buildFake(t, dir, "ngrok"), buildFake(t, dir, "tailscale")
	edges, tsState := filepath.Join(dir, "edges"), filepath.Join(dir, "tailscaled")
	for _, d := range []string{edges, tsState} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	proxy, caFile := publicSide(t, dir, edges, ngrokHost, tsHost)
	busy, err := net.Listen("tcp", "127.0.0.1:0") // the agent API's first choice is taken, as 4040 is by another agent
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	authtoken := "2ngrok" + newToken(t)
	s.log.secret("the ngrok authtoken", authtoken)
	env := s.mcpdEnv("FAKE_EDGES="+edges, "HTTPS_PROXY="+proxy, "SSL_CERT_FILE="+caFile, "NGROK_AUTHTOKEN="+authtoken,
		"FAKE_NGROK_WEB_ADDR="+busy.Addr().String(), "FAKE_TAILSCALE_STATE="+tsState)
	funnel := func() string {
		b, _ := os.ReadFile(filepath.Join(tsState, "serve.json"))
		return string(b)
	}

	cases := []struct {
		provider, host string
		args           []string
		disrupt        func(t *testing.T, before providerLive)
		back           func(now, before providerLive) bool
	}{
		{"ngrok", ngrokHost, []string{"--hostname", ngrokHost, "--ngrok", ngrok},
			func(t *testing.T, before providerLive) { syscall.Kill(before.Edge.PID, syscall.SIGKILL) },
			func(now, before providerLive) bool {
				return now.Edge.PID != 0 && now.Edge.PID != before.Edge.PID && now.Edge.Restarts == 1 && now.EdgeReady
			}},
		{"tailscale", tsHost, []string{"--tailscale", tailscale},
			func(t *testing.T, _ providerLive) {
				if out, err := command(dir, env, tailscale, "funnel", "--https=443", "off").CombinedOutput(); err != nil {
					t.Fatalf("turn the funnel off behind tunnelctl's back: %v\n%s", err, out)
				}
			},
			func(now, _ providerLive) bool {
				return now.Edge.Restarts == 1 && strings.Contains(funnel(), tsHost+":443")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.provider, func(t *testing.T) {
			root := newGitWorkspace(t, map[string]string{"README.md": "# providers\n"})
			var stdout, stderr stderrBuffer
			up := command(root, env, tunnelctl, append([]string{"up", "--headless", "--provider", tc.provider, "--root", root, "--mcpd", s.mcpd}, tc.args...)...)
			up.Stdout, up.Stderr = &stdout, &stderr
			if err := up.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- up.Wait() }()
			t.Cleanup(func() {
				up.Process.Kill()
				<-exited
				s.log.add("tunnelctl up --provider "+tc.provider+" (stderr)", []byte(stderr.all()))
			})

			ready := regexp.MustCompile(`CODEXPRO_READY (https://` + regexp.QuoteMeta(tc.host) + `/mcp\?codexpro_token=([0-9a-f]{64}))\n`)
			var m []string
			for deadline := time.Now().Add(60 * time.Second); m == nil; time.Sleep(50 * time.Millisecond) {
				if m = ready.FindStringSubmatch(stdout.all()); m == nil && time.Now().After(deadline) {
					t.Fatalf("no ready line for https://%s in 60s\nstdout:\n%s\nstderr:\n%s", tc.host, stdout.all(), stderr.String())
				}
			}
			connector, token := m[1], m[2]
			s.log.secret("tunnelctl's connector token ("+tc.provider+")", token)
			hc := publicClient(t, proxy, caFile)
			listVia(t, hc, connector)
			for _, secret := range []string{token, authtoken} {
				procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
				for _, p := range procs {
					if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
						t.Errorf("%s holds a token: %q", p, b)
					}
				}
			}

			before := liveTunnel(t, env, tunnelctl, root)
			if before.Provider != tc.provider {
				t.Fatalf("status names provider %q, want %s", before.Provider, tc.provider)
			}
			tc.disrupt(t, before)
			disrupted := time.Now()
			now := liveTunnel(t, env, tunnelctl, root)
			for ; !tc.back(now, before); now = liveTunnel(t, env, tunnelctl, root) {
				if time.Since(disrupted) > 10*time.Second {
					t.Fatalf("%s not back within 10 s: %+v\nstderr:\n%s", tc.provider, now, stderr.String())
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Logf("%s back after %s", tc.provider, time.Since(disrupted).Round(time.Millisecond))
			listVia(t, hc, connector)

			runtime, _ := filepath.Glob(filepath.Join(s.home, ".codexpro", "runtime", "tunnel-*.json"))
			for _, f := range runtime {
				b, _ := os.ReadFile(f)
				s.log.add("runtime file "+f, b)
			}
			if out, err := command(root, env, tunnelctl, "down", "--root", root).CombinedOutput(); err != nil {
				t.Fatalf("down: %v\n%s", err, out)
			}
			select {
			case <-exited:
				exited <- nil
			case <-time.After(15 * time.Second):
				t.Fatal("tunnelctl up still runs 15 s after down")
			}
			if tc.provider == "ngrok" && syscall.Kill(now.Edge.PID, 0) == nil {
				t.Error("ngrok still runs after down")
			}
			if tc.provider == "tailscale" && strings.Contains(funnel(), tsHost+":443") {
				t.Errorf("the funnel is still on after down:\n%s", funnel())
			}
			shown := ready.ReplaceAllString(stdout.all(), "")
			for where, text := range map[string]string{"stdout besides the ready line": shown, "stderr": stderr.all()} {
				if strings.Contains(text, token) || strings.Contains(text, authtoken) {
					t.Errorf("tunnelctl's %s holds a token", where)
				}
			}
		})
	}
}

// liveTunnel is root's entry in `tunnelctl status --json`.
func liveTunnel(t *testing.T, env []string, tunnelctl, root string) providerLive {
	t.Helper()
	out, err := command(root, env, tunnelctl, "status", "--json").Output()
	if err != nil {
		t.Fatalf("status --json: %v", err)
	}
	var all []providerLive
	if err := json.Unmarshal(out, &all); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	for _, l := range all {
		if l.Root == root {
			return l
		}
	}
	t.Fatalf("status --json lists no tunnel for %s:\n%s", root, out)
	return providerLive{}
}

// publicClient reaches the providers' public side: the CONNECT proxy and
// the test CA.
func publicClient(t *testing.T, proxy, caFile string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	p, _ := url.Parse(proxy)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy, tr.TLSClientConfig = http.ProxyURL(p), &tls.Config{RootCAs: pool}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// listVia initializes an mcp-go client on the connector URL and lists the tools.
func listVia(t *testing.T, hc *http.Client, connector string) {
	t.Helper()
	c, err := client.NewStreamableHttpClient(connector, transport.WithHTTPBasicClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Initialize(ctx, initRequest()); err != nil {
		t.Fatalf("initialize through the tunnel: %v", err)
	}
	tools, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil || len(tools.Tools) == 0 {
		t.Fatalf("tools/list through the tunnel: %v (%d tools)", err, len(tools.Tools))
	}
}
