package tunnelctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// cloudflaredUnreadyProbes is how many failed /ready probes in a row
// (about 30 s at the default interval) make tunnelctl restart cloudflared.
const cloudflaredUnreadyProbes = 30

// Options configure one `tunnelctl up`.
type Options struct {
	Root     string   // workspace root, for the runtime file and messages
	McpdBin  string   // mcpd to run
	McpdArgs []string // pass-through flags such as --root, --mode
	Token    string   // connector token; "" = generate a fresh one
	// TokenSource is where Token came from (config's env, file, profile,
	// generated); it decides whether the URL survives a restart.
	TokenSource string
	Exposure    Exposure // the modes mcpd runs with, for the ready block
	Port        int      // mcpd loopback port; 0 = pick a free one

	Resolver Resolver // finds or installs cloudflared

	Named        bool
	Hostname     string // named: public host (normalised)
	TunnelName   string // named: locally-managed tunnel
	TunnelToken  string // named: remotely-managed tunnel token
	ReadyTimeout time.Duration

	Headless bool
	CopyURL  bool
	Copy     func(string) (string, error) // clipboard; nil = Clipboard(os.Getenv)
	Keys     io.Reader                    // a raw-mode terminal for single-key shortcuts; nil = none
	Open     func(url string) error       // browser; nil = Browser

	Home         string // $CODEXPRO_HOME
	Stdout       io.Writer
	Log          zerolog.Logger
	Policy       Policy       // zero = DefaultPolicy()
	PublicClient *http.Client // named readiness probe; nil = a default client
	Env          []string     // base environment of the children; nil = os.Environ()
}

func (o *Options) validate() error {
	if o.Named {
		if o.Hostname == "" {
			return errors.New("--named needs --hostname HOST, the public host routed to this tunnel")
		}
		if o.TunnelToken == "" && o.TunnelName == "" {
			return errors.New("--named needs a tunnel: --cloudflare-token-file FILE, CLOUDFLARE_TUNNEL_TOKEN, or --tunnel-name NAME")
		}
	} else if o.Hostname != "" || o.TunnelName != "" || o.TunnelToken != "" {
		return errors.New("--hostname, --tunnel-name and a Cloudflare tunnel token need --named; a quick tunnel gets a random trycloudflare.com host")
	}
	if o.Token != "" && len(o.Token) < MinTokenBytes {
		return fmt.Errorf("the connector token is %d bytes; mcpd needs at least %d (CODEXPRO_HTTP_TOKEN or --token-file)", len(o.Token), MinTokenBytes)
	}
	if o.Token != "" && o.Token == o.TunnelToken {
		return errors.New("the connector token and the Cloudflare tunnel token must differ")
	}
	return nil
}

func (o *Options) defaults() error {
	var err error
	if o.Token == "" {
		if o.Token, err = GenerateToken(); err != nil {
			return err
		}
		o.TokenSource = "generated"
	}
	if o.Port == 0 {
		if o.Port, err = freePort(); err != nil {
			return err
		}
	}
	if o.Policy == (Policy{}) {
		o.Policy = DefaultPolicy()
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = 60 * time.Second
	}
	if o.Env == nil {
		o.Env = os.Environ()
	}
	if o.Stdout == nil {
		o.Stdout = os.Stdout
	}
	if o.Copy == nil {
		o.Copy = Clipboard(os.Getenv)
	}
	if o.Open == nil {
		o.Open = Browser
	}
	if o.PublicClient == nil {
		o.PublicClient = &http.Client{}
	}
	return nil
}

// Up starts mcpd and cloudflared, announces the connector URL and keeps
// both alive until ctx ends (nil) or restarts keep failing (an error).
func Up(ctx context.Context, o Options) error {
	if err := o.validate(); err != nil {
		return err
	}
	if err := o.defaults(); err != nil {
		return err
	}
	path := RuntimePath(o.Home, o.Root)
	if err := claimRuntime(path, RuntimeState{Version: 1, Root: o.Root, PID: os.Getpid(), StartedAt: time.Now().UTC()}); err != nil {
		return err
	}
	defer removeRuntime(path, os.Getpid())
	cf, err := o.Resolver.Resolve(ctx)
	if err != nil {
		return err
	}
	o.Log.Info().Str("path", cf.Path).Str("source", cf.Source).Str("version", cf.Version).Msg("using cloudflared")
	// The modes go to the log too, so a --headless run's log says what the
	// URL gives access to.
	_, stable := Stability(o.Named, o.TokenSource)
	x := o.Exposure
	o.Log.Info().Str("mode", x.Mode).Str("write", x.Write).Str("bash", x.Bash).Str("sandbox", x.SandboxLine()).
		Strs("roots", x.Roots).Str("stable_url", stable).Msg("publishing")
	emptyConfig := filepath.Join(RuntimeDir(o.Home), "cloudflared-empty.yml")
	if err := privateDir(RuntimeDir(o.Home)); err != nil {
		return err
	}
	if err := os.WriteFile(emptyConfig, nil, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", emptyConfig, err)
	}
	u := newUpState(o, cf)
	u.tunnel.config = emptyConfig
	return u.run(ctx)
}

// upState ties the two supervised children to the runtime file and the announcement.
type upState struct {
	o      Options
	mcpd   *mcpd
	tunnel *tunnel
	ann    *announcer
	path   string

	mu     sync.Mutex
	mc, cf *Supervised
	st     RuntimeState
}

func newUpState(o Options, cf Resolved) *upState {
	local := loopbackClient()
	u := &upState{o: o, path: RuntimePath(o.Home, o.Root)}
	u.mcpd = &mcpd{bin: o.McpdBin, port: o.Port, token: o.Token, args: o.McpdArgs, env: o.Env, local: local,
		pairing: pairingTo(o.Stdout, o.Headless)}
	u.tunnel = &tunnel{bin: cf.Path, originPort: o.Port, named: o.Named, hostname: o.Hostname,
		tunnelName: o.TunnelName, tunnelToken: o.TunnelToken, mcpToken: o.Token, env: o.Env, public: o.PublicClient, local: local}
	kind := "quick"
	if o.Named {
		kind = "named"
		u.mcpd.publicHost = o.Hostname
	}
	_, stable := Stability(o.Named, o.TokenSource)
	u.ann = &announcer{out: o.Stdout, headless: o.Headless, copyURL: o.CopyURL && !o.Headless, copy: o.Copy, root: o.Root, kind: kind,
		modes: o.Exposure, stable: stable, keys: o.Keys != nil && !o.Headless}
	now := time.Now().UTC()
	u.st = RuntimeState{Version: 1, Root: o.Root, PID: os.Getpid(), Tunnel: kind, StartedAt: now,
		LocalURL: u.mcpd.localBase() + "/mcp", Cloudflared: ChildState{Path: cf.Path, Version: cf.Version}}
	return u
}

func (u *upState) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if u.ann.keys {
		// From the start: in raw mode Ctrl-C is a key, so it must work
		// while the children are still starting.
		go u.keys(ctx, u.o.Keys, cancel)
	}
	mc, err := Supervise(ctx, u.mcpd.spec(), u.o.Policy, u.event)
	if err != nil {
		return err
	}
	u.set(func() { u.mc = mc })
	cfPolicy := u.o.Policy
	// Edge connections drop and come back on their own; restarting a quick
	// tunnel changes its URL, so only a long outage (or an exit) counts.
	cfPolicy.UnreadyAfter = max(cfPolicy.UnreadyAfter, cloudflaredUnreadyProbes)
	if u.o.Named {
		cfPolicy.StartTimeout = u.o.ReadyTimeout
	}
	cf, err := Supervise(ctx, u.tunnel.spec(), cfPolicy, u.event)
	if err != nil {
		cancel()
		mc.Wait()
		return err
	}
	u.set(func() { u.cf = cf })
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			mc.Wait()
			cf.Wait()
			return nil
		case <-mc.Done():
			cancel()
			cf.Wait()
			return mc.Wait()
		case <-cf.Done():
			cancel()
			mc.Wait()
			return cf.Wait()
		case <-tick.C:
			u.set(func() {})
		}
	}
}

// event logs a supervision event, refreshes the runtime file and announces a new URL.
func (u *upState) event(e Event) {
	log := u.o.Log.Info()
	if e.Kind != EventReady {
		log = u.o.Log.Warn()
	}
	if e.Err != nil {
		log = log.Str("error", Scrub(e.Err.Error(), u.o.Token, u.o.TunnelToken))
	}
	if e.Delay > 0 {
		log = log.Dur("in", e.Delay)
	}
	if e.PID > 0 {
		log = log.Int("pid", e.PID)
	}
	log.Int("restarts", e.Restarts).Msgf("%s %s", e.Child, e.Kind)
	u.set(func() {})
}

// set applies f, rewrites the runtime file and then announces a new URL,
// so `tunnelctl status` already knows the URL a script has just been given.
func (u *upState) set(f func()) {
	u.mu.Lock()
	defer u.mu.Unlock()
	f()
	connector := u.refresh()
	if err := WriteRuntime(u.path, u.st); err != nil {
		u.o.Log.Warn().Err(err).Msg("runtime file not updated")
	}
	if connector != "" {
		u.ann.announce(connector)
	}
}

// refresh copies the children's state into u.st and returns the connector
// URL once the tunnel is ready ("" before).
func (u *upState) refresh() string {
	u.st.UpdatedAt = time.Now().UTC()
	if u.mc != nil {
		u.st.Mcpd = ChildState{PID: u.mc.PID(), Restarts: u.mc.Restarts(), LastHealthy: u.mc.LastHealthy(), Path: u.o.McpdBin}
	}
	if u.cf == nil {
		return ""
	}
	base, metrics := u.tunnel.state()
	u.st.Cloudflared.PID, u.st.Cloudflared.Restarts = u.cf.PID(), u.cf.Restarts()
	u.st.Cloudflared.LastHealthy, u.st.Cloudflared.MetricsAddr = u.cf.LastHealthy(), metrics
	if u.cf.PID() == 0 || base == "" {
		return ""
	}
	connector := ConnectorURL(base, u.o.Token)
	if u.o.Exposure.OAuth() {
		connector = base + "/mcp" // clients sign in; nothing secret to print or store
	}
	u.st.Endpoint = base + "/mcp"
	u.st.ConnectorURL = maskToken(connector, u.o.Token)
	return connector
}

// Scrub replaces each non-empty secret in s.
func Scrub(s string, secrets ...string) string {
	return scrubber(secrets).apply(s)
}
