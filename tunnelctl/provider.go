package tunnelctl

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// The providers `tunnelctl up --provider` accepts.
const (
	ProviderCloudflare = "cloudflare"
	ProviderNgrok      = "ngrok"
	ProviderTailscale  = "tailscale"
)

// Providers lists the --provider values, the default first.
func Providers() []string { return []string{ProviderCloudflare, ProviderNgrok, ProviderTailscale} }

// provider publishes mcpd's loopback port on a public HTTPS address. Each
// provider is one implementation in a file of its own; newProvider is the
// only place that lists them.
type provider interface {
	// prepare finds the provider's binary and the public host (empty when
	// only the running tunnel knows it), before mcpd starts, because mcpd
	// must already accept that host.
	prepare(ctx context.Context) (bin Resolved, host string, err error)
	// spec is the supervised child: command, output, readiness, liveness.
	spec() Spec
	// policy adapts the supervision policy to the provider.
	policy(base Policy) Policy
	// state is the current run's public base URL ("" until it is known)
	// and a local URL that answers 200 while the provider is ready ("" if
	// it has none), for `tunnelctl status`.
	state() (url, readyURL string)
	// kind names the tunnel in the ready block and the runtime file.
	kind() string
	// stableHost says whether the public host survives a restart, and why not.
	stableHost() (bool, string)
}

// newProvider builds the provider o.Provider names, after checking that no
// other provider's option is set.
func newProvider(o Options) (provider, error) {
	switch o.Provider {
	case "", ProviderCloudflare:
		if err := onlyFor(ProviderCloudflare, o); err != nil {
			return nil, err
		}
		return newCloudflare(o)
	case ProviderNgrok:
		if err := onlyFor(ProviderNgrok, o); err != nil {
			return nil, err
		}
		return newNgrok(o)
	case ProviderTailscale:
		if err := onlyFor(ProviderTailscale, o); err != nil {
			return nil, err
		}
		return newTailscale(o)
	}
	return nil, fmt.Errorf("--provider %q: want one of %s", o.Provider, strings.Join(Providers(), ", "))
}

// onlyFor refuses options that belong to a provider other than name: a
// --cloudflare-token-file given with --provider ngrok is a mistake, never
// something to ignore.
func onlyFor(name string, o Options) error {
	owned := []struct {
		provider, option string
		set              bool
	}{
		{ProviderCloudflare, "--named", o.Named},
		{ProviderCloudflare, "--tunnel-name", o.TunnelName != ""},
		{ProviderCloudflare, "a Cloudflare tunnel token", o.TunnelToken != ""},
		{ProviderNgrok, "--ngrok-config", o.NgrokConfig != ""},
	}
	for _, x := range owned {
		if x.set && x.provider != name {
			return fmt.Errorf("%s is for --provider %s, not %s: drop it or choose that provider", x.option, x.provider, name)
		}
	}
	return nil
}

// leftovers removes what a dead tunnelctl's provider may have left outside
// its own processes (a funnel tailscaled keeps), as its runtime file
// describes it. `down` and the next `up` of the workspace call it.
func leftovers(st RuntimeState) error {
	var undo func() error
	switch st.Provider {
	case ProviderTailscale:
		undo = staleFunnel(st, os.Environ())
	}
	if undo == nil {
		return nil
	}
	if err := undo(); err != nil {
		return fmt.Errorf("turn off the funnel the dead tunnelctl (pid %d) left: %w", st.PID, err)
	}
	return nil
}
