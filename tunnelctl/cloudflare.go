package tunnelctl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
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

// cloudflaredUnreadyProbes is how many failed /ready probes in a row
// (about 30 s at the default interval) make tunnelctl restart cloudflared.
const cloudflaredUnreadyProbes = 30

// tunnel is the Cloudflare provider: cloudflared, as a quick tunnel or a
// named one, for one mcpd origin port.
type tunnel struct {
	resolver    Resolver
	home        string
	readyWait   time.Duration // named: how long https://HOST/healthz may take
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

func newCloudflare(o Options) (*tunnel, error) {
	if o.Named {
		if o.Hostname == "" {
			return nil, errors.New("--named needs --hostname HOST, the public host routed to this tunnel")
		}
		if o.TunnelToken == "" && o.TunnelName == "" {
			return nil, errors.New("--named needs a tunnel: --cloudflare-token-file FILE, CLOUDFLARE_TUNNEL_TOKEN, or --tunnel-name NAME")
		}
	} else if o.Hostname != "" {
		return nil, errors.New("--hostname with --provider cloudflare needs --named; a quick tunnel gets a random trycloudflare.com host")
	}
	if o.Token != "" && o.Token == o.TunnelToken {
		return nil, errors.New("the connector token and the Cloudflare tunnel token must differ")
	}
	return &tunnel{resolver: o.Resolver, home: o.Home, readyWait: o.ReadyTimeout, originPort: o.Port, named: o.Named,
		hostname: o.Hostname, tunnelName: o.TunnelName, tunnelToken: o.TunnelToken, mcpToken: o.Token,
		env: o.Env, public: o.PublicClient, local: loopbackClient()}, nil
}

// prepare resolves (or installs) cloudflared and writes the empty config
// it runs with, so ~/.cloudflared/config.yml cannot reroute the tunnel.
func (t *tunnel) prepare(ctx context.Context) (Resolved, string, error) {
	cf, err := t.resolver.Resolve(ctx)
	if err != nil {
		return cf, "", err
	}
	t.bin = cf.Path
	t.config = filepath.Join(RuntimeDir(t.home), "cloudflared-empty.yml")
	if err := privateDir(RuntimeDir(t.home)); err != nil {
		return cf, "", err
	}
	if err := os.WriteFile(t.config, nil, 0o600); err != nil {
		return cf, "", fmt.Errorf("write %s: %w", t.config, err)
	}
	if t.named {
		return cf, t.hostname, nil
	}
	return cf, "", nil
}

func (t *tunnel) kind() string {
	if t.named {
		return "named"
	}
	return "quick"
}

func (t *tunnel) stableHost() (bool, string) {
	if t.named {
		return true, "named host"
	}
	return false, "a quick tunnel gets a new trycloudflare.com host on every start; for a stable URL use a named tunnel (tunnelctl setup), ngrok or tailscale"
}

// policy: edge connections drop and come back on their own, and restarting
// a quick tunnel changes its URL, so only a long outage (or an exit)
// counts. A named tunnel may take a while to route its host.
func (t *tunnel) policy(p Policy) Policy {
	p.UnreadyAfter = max(p.UnreadyAfter, cloudflaredUnreadyProbes)
	if t.named {
		p.StartTimeout = t.readyWait
	}
	return p
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
	cmd.Env = childEnv(t.env, providerDrop(ProviderCloudflare, false), extra...)
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

// state returns the public base URL and cloudflared's /ready URL.
func (t *tunnel) state() (url, readyURL string) {
	url, metrics := t.run()
	if metrics == "" {
		return url, ""
	}
	return url, "http://" + metrics + "/ready"
}

// run returns the public base URL and metrics address of the current run.
func (t *tunnel) run() (url, metrics string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.url, t.metricsAddr
}

// probe is cloudflared's own /ready: at least one edge connection is up.
func (t *tunnel) probe(ctx context.Context) error {
	url, metrics := t.run()
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
	url, _ := t.run()
	return httpOK(ctx, t.public, url+"/healthz", t.mcpToken)
}

func (t *tunnel) spec() Spec {
	return Spec{Name: "cloudflared", Command: t.command, OnStart: t.reset, OnLine: t.line,
		Probe: t.probe, Ready: t.ready, Scrub: []string{t.tunnelToken, t.mcpToken}}
}
