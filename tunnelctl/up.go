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

	// Provider is cloudflare (""), ngrok or tailscale.
	Provider string
	Hostname string // public host (normalised): named tunnel, ngrok domain, tailnet name

	Resolver    Resolver // cloudflare: finds or installs cloudflared
	Named       bool     // cloudflare: a named tunnel instead of a quick one
	TunnelName  string   // cloudflare named: locally-managed tunnel
	TunnelToken string   // cloudflare named: remotely-managed tunnel token

	NgrokBin     string // ngrok: the binary ("" = ngrok on PATH)
	NgrokConfig  string // ngrok: an absolute config file passed as --config
	TailscaleBin string // tailscale: the binary ("" = tailscale on PATH)
	// BinFrom names the flag or variable that gave NgrokBin or
	// TailscaleBin, for messages ("" = the flag).
	BinFrom string

	// ReadyTimeout bounds the first https://HOST/healthz through a tunnel
	// whose host is known in advance (named, ngrok, tailscale).
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
	if !o.Named && (o.TunnelName != "" || o.TunnelToken != "") && (o.Provider == "" || o.Provider == ProviderCloudflare) {
		return errors.New("--tunnel-name and a Cloudflare tunnel token need --named; a quick tunnel gets a random trycloudflare.com host")
	}
	if o.Token != "" && len(o.Token) < MinTokenBytes {
		return fmt.Errorf("the connector token is %d bytes; mcpd needs at least %d (CODEXPRO_HTTP_TOKEN or --token-file)", len(o.Token), MinTokenBytes)
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

// Up starts mcpd and the provider's tunnel, announces the connector URL
// and keeps both alive until ctx ends (nil) or restarts keep failing (an
// error).
func Up(ctx context.Context, o Options) error {
	if err := o.validate(); err != nil {
		return err
	}
	if err := o.defaults(); err != nil {
		return err
	}
	p, err := newProvider(o)
	if err != nil {
		return err
	}
	path := RuntimePath(o.Home, o.Root)
	if err := claimRuntime(path, RuntimeState{Version: 1, Root: o.Root, PID: os.Getpid(), StartedAt: time.Now().UTC()}); err != nil {
		return err
	}
	defer removeRuntime(path, os.Getpid())
	bin, host, err := p.prepare(ctx)
	if err != nil {
		return err
	}
	o.Log.Info().Str("provider", providerName(o.Provider)).Str("path", bin.Path).Str("source", bin.Source).Str("version", bin.Version).Msg("using " + filepath.Base(bin.Path))
	u := newUpState(o, p, bin, host)
	// The modes go to the log too, so a --headless run's log says what the
	// URL gives access to.
	x := o.Exposure
	o.Log.Info().Str("mode", x.Mode).Str("write", x.Write).Str("bash", x.Bash).Str("sandbox", x.SandboxLine()).
		Strs("roots", x.Roots).Str("stable_url", u.ann.stable).Msg("publishing")
	return u.run(ctx)
}

func providerName(p string) string {
	if p == "" {
		return ProviderCloudflare
	}
	return p
}

// upState ties the two supervised children to the runtime file and the announcement.
type upState struct {
	o     Options
	mcpd  *mcpd
	prov  provider
	spec  Spec // the provider's child
	ann   *announcer
	path  string
	scrub scrubber // every secret tunnelctl knows, for its own log lines

	mu     sync.Mutex
	mc, cf *Supervised
	st     RuntimeState
}

func newUpState(o Options, p provider, bin Resolved, host string) *upState {
	local := loopbackClient()
	spec := p.spec()
	u := &upState{o: o, prov: p, spec: spec, path: RuntimePath(o.Home, o.Root), scrub: scrubber(spec.Scrub)}
	u.mcpd = &mcpd{bin: o.McpdBin, port: o.Port, token: o.Token, args: o.McpdArgs, env: o.Env, local: local,
		publicHost: host, pairing: pairingTo(o.Stdout, o.Headless)}
	stableHost, why := p.stableHost()
	_, stable := Stability(stableHost, why, o.TokenSource)
	u.ann = &announcer{out: o.Stdout, headless: o.Headless, copyURL: o.CopyURL && !o.Headless, copy: o.Copy, root: o.Root, kind: p.kind(),
		modes: o.Exposure, stable: stable, keys: o.Keys != nil && !o.Headless}
	now := time.Now().UTC()
	u.st = RuntimeState{Version: 1, Root: o.Root, PID: os.Getpid(), Provider: providerName(o.Provider), Tunnel: p.kind(), StartedAt: now,
		LocalURL: u.mcpd.localBase() + "/mcp", Edge: ChildState{Path: bin.Path, Version: bin.Version}}
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
	cf, err := Supervise(ctx, u.spec, u.prov.policy(u.o.Policy), u.event)
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
		log = log.Str("error", u.scrub.apply(Scrub(e.Err.Error(), u.o.Token)))
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
	base, readyURL := u.prov.state()
	u.st.Edge.PID, u.st.Edge.Restarts, u.st.Edge.Detached = u.cf.PID(), u.cf.Restarts(), u.spec.Detached
	u.st.Edge.LastHealthy, u.st.Edge.ReadyURL = u.cf.LastHealthy(), readyURL
	if !u.cf.Up() || base == "" {
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
