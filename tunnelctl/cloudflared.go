package tunnelctl

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// quickURL matches the quick-tunnel URL in cloudflared's banner box.
var quickURL = regexp.MustCompile(`https://[a-zA-Z0-9-]+\.trycloudflare\.com`)

// QuickTunnelURL returns the public URL in one line of cloudflared output.
// api.trycloudflare.com is the service cloudflared asks, never a tunnel.
func QuickTunnelURL(line string) (string, bool) {
	for _, u := range quickURL.FindAllString(line, -1) {
		if !strings.EqualFold(u, "https://api.trycloudflare.com") {
			return strings.ToLower(u), true
		}
	}
	return "", false
}

// tunnel runs cloudflared for one mcpd origin port.
type tunnel struct {
	bin, config string
	originPort  int
	named       bool
	hostname    string // named: the public host
	tunnelName  string
	tunnelToken string // named: in the child's TUNNEL_TOKEN, never argv
	mcpToken    string // for the public /healthz check
	env         []string
	public      *http.Client
	local       *http.Client

	mu          sync.Mutex
	metricsAddr string
	url         string // https://host, without a path
}

// args builds the command line. It never contains a secret: the tunnel
// token travels in the environment.
func (t *tunnel) args(metrics string) []string {
	origin := "127.0.0.1:" + strconv.Itoa(t.originPort)
	a := []string{"tunnel", "--config", t.config, "--no-autoupdate", "--metrics", metrics,
		"--url", "http://" + origin, "--http-host-header", origin}
	if t.named {
		a = append(a, "run")
		if t.tunnelName != "" {
			a = append(a, t.tunnelName)
		}
	}
	return a
}

func (t *tunnel) command() (*exec.Cmd, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	metrics := "127.0.0.1:" + strconv.Itoa(port)
	t.mu.Lock()
	t.metricsAddr = metrics
	t.mu.Unlock()
	cmd := exec.Command(t.bin, t.args(metrics)...)
	var extra []string
	if t.tunnelToken != "" {
		extra = append(extra, "TUNNEL_TOKEN="+t.tunnelToken)
	}
	cmd.Env = childEnv(t.env, cloudflaredDrop, extra...)
	return cmd, nil
}

func (t *tunnel) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.url = ""
	if t.named {
		t.url = "https://" + t.hostname
	}
}

func (t *tunnel) line(l string) {
	if t.named {
		return
	}
	if u, ok := QuickTunnelURL(l); ok {
		t.mu.Lock()
		if t.url == "" {
			t.url = u
		}
		t.mu.Unlock()
	}
}

// state returns the public base URL and metrics address of the current run.
func (t *tunnel) state() (url, metrics string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.url, t.metricsAddr
}

// probe is cloudflared's own /ready: at least one edge connection is up.
func (t *tunnel) probe(ctx context.Context) error {
	url, metrics := t.state()
	if url == "" {
		return fmt.Errorf("no trycloudflare.com URL in cloudflared's output yet")
	}
	return httpOK(ctx, t.local, "http://"+metrics+"/ready", "")
}

// ready adds, for a named tunnel, the public https://HOST/healthz: the
// hostname must really route to this mcpd before the URL is announced.
func (t *tunnel) ready(ctx context.Context) error {
	if err := t.probe(ctx); err != nil {
		return err
	}
	if !t.named {
		return nil
	}
	url, _ := t.state()
	return httpOK(ctx, t.public, url+"/healthz", t.mcpToken)
}

func (t *tunnel) spec() Spec {
	return Spec{Name: "cloudflared", Command: t.command, OnStart: t.reset, OnLine: t.line,
		Probe: t.probe, Ready: t.ready, Scrub: []string{t.tunnelToken, t.mcpToken}}
}
