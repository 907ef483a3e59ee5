package tunnelctl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// TailscaleInstall says how to install Tailscale; tunnelctl never downloads it.
const TailscaleInstall = "install Tailscale from https://tailscale.com/download (Linux: curl -fsSL https://tailscale.com/install.sh | sh), run tailscale up, and allow Funnel for this machine in the tailnet's policy"

// tailscale is the Tailscale Funnel provider. `tailscale funnel --bg`
// hands the funnel to tailscaled and exits, so the supervised child is
// detached: tunnelctl asserts the funnel, polls `tailscale funnel status
// --json`, asserts it again when it disappears, and turns it off (only
// its own: the user's other serve config stays) when it stops.
type tailscale struct {
	program    Program
	bin        string
	want       string // --hostname: must be this machine's name ("" = take it)
	port       string // the funnel's HTTPS port
	name       string // this machine's MagicDNS name, from tailscale status
	originPort int
	mcpToken   string
	readyWait  time.Duration
	env        []string
	public     *http.Client
}

func newTailscale(o Options) (*tailscale, error) {
	t := &tailscale{program: Program{Name: "tailscale", Explicit: o.TailscaleBin, ExplicitName: orFlag(o.BinFrom, "--tailscale"), VersionArgs: []string{"version"}, Install: TailscaleInstall},
		port: "443", originPort: o.Port, mcpToken: o.Token, readyWait: o.ReadyTimeout, env: o.Env, public: o.PublicClient}
	if o.Hostname != "" {
		host, port, err := net.SplitHostPort(o.Hostname)
		if err != nil {
			host = o.Hostname
		} else {
			t.port = port
		}
		t.want = host
	}
	switch t.port {
	case "443", "8443", "10000": // the HTTPS ports Funnel serves
		return t, nil
	}
	return nil, fmt.Errorf("--hostname %s: Tailscale Funnel serves HTTPS only on port 443, 8443 or 10000", o.Hostname)
}

// prepare finds tailscale, takes this machine's name from `tailscale
// status --json`, and refuses to take over a port the user already serves.
func (t *tailscale) prepare(ctx context.Context) (Resolved, string, error) {
	bin, err := t.program.Find(ctx)
	if err != nil {
		return bin, "", err
	}
	t.bin = bin.Path
	var st struct {
		BackendState string
		Self         struct{ DNSName string }
	}
	if err := t.json(ctx, &st, "status", "--json"); err != nil {
		return bin, "", err
	}
	if st.BackendState != "Running" {
		return bin, "", fmt.Errorf("tailscale is not connected (state %q): run tailscale up, then tunnelctl up again", st.BackendState)
	}
	t.name = strings.ToLower(strings.TrimSuffix(st.Self.DNSName, "."))
	if t.name == "" {
		return bin, "", errors.New("tailscale status names no MagicDNS name for this machine: turn on MagicDNS and HTTPS certificates in the tailnet's DNS settings")
	}
	if t.want != "" && !strings.EqualFold(t.want, t.name) {
		return bin, "", fmt.Errorf("--hostname %s is not this machine's tailnet name %s: Funnel can only publish %s (leave --hostname out, or pass %s)", t.want, t.name, t.name, t.name)
	}
	if err := t.free(ctx); err != nil {
		return bin, "", err
	}
	return bin, t.publicHost(), nil
}

// free fails when the funnel's port serves something besides tunnelctl's
// own handler: a funnel would publish it too, and asserting ours would
// replace the user's root handler.
func (t *tailscale) free(ctx context.Context) error {
	sc, err := t.serveConfig(ctx)
	if err != nil {
		return err
	}
	if other := sc.others(t.hostPort(), t.target()); other != "" {
		return fmt.Errorf("https://%s already serves %s (tailscale funnel status): tunnelctl would publish it too, so it leaves it alone. "+
			"Turn it off (tailscale funnel --https=%s off, or tailscale serve --https=%s off), or use another Funnel port: --hostname %s:8443",
			t.hostPort(), other, t.port, t.port, t.name)
	}
	return nil
}

// hostPort is the funnel's key in the serve config: name:port.
func (t *tailscale) hostPort() string { return t.name + ":" + t.port }

// publicHost is the host of the public URL, the port only when not 443.
func (t *tailscale) publicHost() string {
	if t.port == "443" {
		return t.name
	}
	return t.hostPort()
}

func (t *tailscale) target() string { return "http://127.0.0.1:" + strconv.Itoa(t.originPort) }

func (t *tailscale) kind() string { return "funnel" }

func (t *tailscale) stableHost() (bool, string) { return true, "this machine's tailnet name" }

// policy: each probe runs `tailscale funnel status`, so probe less often
// than mcpd, and re-assert after two misses in a row; the first readiness
// includes https://NAME/healthz through Funnel, which can take a while
// (a certificate is issued on first use).
func (t *tailscale) policy(p Policy) Policy {
	p.Interval *= 2
	p.UnreadyAfter = 2
	p.StartTimeout = t.readyWait
	return p
}

// command asserts the funnel (`tailscale funnel --bg PORT`, which proxies
// to 127.0.0.1:PORT; --https only for a port other than the default 443);
// it exits once tailscaled holds it.
// Before each assertion the port must still be free of the user's
// handlers: one set while tunnelctl ran is never overwritten.
func (t *tailscale) command() (*exec.Cmd, error) {
	if err := t.free(context.Background()); err != nil {
		return nil, err
	}
	args := []string{"funnel", "--bg"}
	if t.port != "443" {
		args = append(args, "--https="+t.port)
	}
	cmd := exec.Command(t.bin, append(args, strconv.Itoa(t.originPort))...)
	cmd.Env = childEnv(t.env, providerDrop(ProviderTailscale, true))
	return cmd, nil
}

func (t *tailscale) state() (url, readyURL string) { return "https://" + t.publicHost(), "" }

// probe: the funnel is ours while tailscaled serves this port's root to
// this mcpd with Funnel on.
func (t *tailscale) probe(ctx context.Context) error {
	sc, err := t.serveConfig(ctx)
	if err != nil {
		return err
	}
	if !sc.funnels(t.hostPort(), t.target()) {
		return fmt.Errorf("tailscale funnel status no longer shows https://%s funnelled to %s", t.hostPort(), t.target())
	}
	return nil
}

func (t *tailscale) ready(ctx context.Context) error {
	if err := t.probe(ctx); err != nil {
		return err
	}
	return httpOK(ctx, t.public, "https://"+t.publicHost()+"/healthz", t.mcpToken)
}

// undo turns the funnel off, only while it is still the one tunnelctl set:
// a port the user has since pointed elsewhere stays as it is.
func (t *tailscale) undo() error {
	ctx, cancel := context.WithTimeout(context.Background(), versionTimeout)
	defer cancel()
	sc, err := t.serveConfig(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for hostPort := range sc.Web {
		// The funnel's own name, or (for a dead tunnelctl's, whose runtime
		// file may not name it yet) any this machine serves to our port.
		if (t.name == "" || hostPort == t.hostPort()) && sc.serves(hostPort, t.target()) {
			_, port, _ := net.SplitHostPort(hostPort)
			errs = append(errs, t.run(ctx, nil, "funnel", "--https="+port, "off"))
		}
	}
	return errors.Join(errs...)
}

// staleFunnel undoes the funnel a tunnelctl that died without cleaning up
// (killed, or its machine shut down) left in tailscaled: whatever serves
// the loopback port its runtime file names. nil when the file names none.
func staleFunnel(st RuntimeState, env []string) func() error {
	local, err := url.Parse(st.LocalURL)
	if err != nil || local.Port() == "" || st.Edge.Path == "" {
		return nil
	}
	port, _ := strconv.Atoi(local.Port())
	t := &tailscale{bin: st.Edge.Path, originPort: port, env: env}
	return t.undo
}

func (t *tailscale) spec() Spec {
	return Spec{Name: "tailscale funnel", Command: t.command, Probe: t.probe, Ready: t.ready, Scrub: []string{t.mcpToken},
		Detached: true, Undo: t.undo}
}

// serveConfig is `tailscale funnel status --json`: tailscaled's serve
// config (`serve status --json` prints the same, for a tailscale whose
// funnel command lacks status).
func (t *tailscale) serveConfig(ctx context.Context) (serveConfig, error) {
	var sc serveConfig
	err := t.json(ctx, &sc, "funnel", "status", "--json")
	if err != nil {
		var alt serveConfig
		if t.json(ctx, &alt, "serve", "status", "--json") == nil {
			return alt, nil
		}
	}
	return sc, err
}

func (t *tailscale) json(ctx context.Context, v any, args ...string) error {
	var out bytes.Buffer
	if err := t.run(ctx, &out, args...); err != nil {
		return err
	}
	if err := json.Unmarshal(out.Bytes(), v); err != nil {
		return fmt.Errorf("tailscale %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// run runs one short tailscale command; its output is tailscale's own
// state, never a secret of tunnelctl's.
func (t *tailscale) run(ctx context.Context, stdout *bytes.Buffer, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.bin, args...)
	cmd.Env = childEnv(t.env, providerDrop(ProviderTailscale, true))
	var errb cappedBuffer
	errb.max = 4096
	cmd.Stderr, cmd.WaitDelay = &errb, time.Second
	if stdout != nil {
		cmd.Stdout = stdout
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tailscale %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(Scrub(errb.String(), t.mcpToken)))
	}
	return nil
}

// serveConfig is the part of tailscaled's ServeConfig tunnelctl reads.
type serveConfig struct {
	TCP map[string]struct {
		HTTPS        bool
		TCPForward   string
		TerminateTLS string
	}
	Web map[string]struct {
		Handlers map[string]struct {
			Proxy, Path, Text string
		}
	}
	AllowFunnel map[string]bool
}

// serves reports whether hostPort's root proxies to target.
func (sc serveConfig) serves(hostPort, target string) bool {
	h, ok := sc.Web[hostPort].Handlers["/"]
	return ok && sameLoopback(h.Proxy, target)
}

// sameLoopback: proxy and target name the same port on this machine
// (tailscale may write http://localhost:PORT for 127.0.0.1:PORT).
func sameLoopback(proxy, target string) bool {
	p, err1 := url.Parse(strings.TrimSuffix(proxy, "/"))
	t, err2 := url.Parse(target)
	return err1 == nil && err2 == nil && p.Scheme == t.Scheme && p.Port() == t.Port() && p.Path == "" &&
		(p.Hostname() == "127.0.0.1" || p.Hostname() == "localhost")
}

// funnels: served to target and open to the internet.
func (sc serveConfig) funnels(hostPort, target string) bool {
	return sc.serves(hostPort, target) && sc.AllowFunnel[hostPort]
}

// others describes what else hostPort's port already serves ("" for
// nothing, or only tunnelctl's own handler): a funnel on that port would
// publish every handler on it.
func (sc serveConfig) others(hostPort, target string) string {
	_, port, _ := net.SplitHostPort(hostPort)
	if tcp, ok := sc.TCP[port]; ok && !tcp.HTTPS {
		return "a TCP forwarder to " + tcp.TCPForward + tcp.TerminateTLS
	}
	for mount, h := range sc.Web[hostPort].Handlers {
		if mount == "/" && sameLoopback(h.Proxy, target) {
			continue
		}
		what := h.Proxy + h.Path
		if what == "" {
			what = "text"
		}
		return mount + " (" + what + ")"
	}
	return ""
}
