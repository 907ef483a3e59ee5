// Package importnet is import_file's network side: it fetches one HTTPS
// URL into memory under a policy that decides, before any connection, where
// the fetch may go.
//
// It guarantees: only HTTPS, no credentials in the URL, no proxy; the host
// is a ChatGPT file origin or one the user allowed; every address the host
// resolves to is checked once (private, link-local, shared, reserved and
// IPv4-embedding IPv6 ranges are refused) and pinned, so the dialer connects
// to exactly those addresses (no DNS rebinding), and the socket's Control
// hook re-checks the real destination; every redirect re-runs the whole
// policy; the body is never read past the caller's limit; errors never carry
// the URL (a download URL is a bearer link). Loopback is reachable only
// under a test switch, and never private ranges.
//
// It does not judge the content: the caller checks the bytes (hash, type,
// secrets) before writing them anywhere.
package importnet

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// defaultImportHosts are the origins ChatGPT serves Apps SDK file objects
// from; a host matches exactly or as a subdomain.
var defaultImportHosts = []string{
	"files.oaiusercontent.com", "oaiusercontent.com", "chatgpt.com", "openai.com", "cdn.openai.com", "oaistatic.com",
}

const (
	maxRedirects = 5
	timeout      = 60 * time.Second
	userAgent    = "codexpro-import/go"
)

// Config is what the user configured for imports.
type Config struct {
	AllowedHosts  []string // extra hosts beyond the built-in ChatGPT file origins
	AllowLoopback bool     // test-only switch CODEXPRO_IMPORT_ALLOW_LOOPBACK=1: loopback (never private) sources
	TestCAFile    string   // test-only CODEXPRO_IMPORT_TEST_CA_FILE: trust this CA, and import from loopback only
}

// Hooks are test-only: a CA to trust (the httptest server's), a fake
// resolver, and a dial observer. The zero value is the real network.
type Hooks struct {
	RootCAs *x509.CertPool
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
	OnDial  func(addr string)
}

// blockedPrefixes are ranges no import may reach: private, shared, link-local,
// benchmark, reserved, and IPv6 forms that can embed an IPv4 address.
var blockedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4",
		"64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "fec0::/10", "2001::/32"} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

var errLoopback = errors.New("Attachment download_url points to a blocked host (loopback; CODEXPRO_IMPORT_ALLOW_LOOPBACK is off).")

// checkAddr says whether an import may connect to ip. Loopback is allowed
// only under the test switch; private and link-local ranges never are.
func checkAddr(ip netip.Addr, allowLoopback bool) error {
	ip = ip.Unmap()
	if ip.IsLoopback() {
		if allowLoopback {
			return nil
		}
		return errLoopback
	}
	bad := !ip.IsValid() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || ip == netip.AddrFrom4([4]byte{255, 255, 255, 255})
	for _, p := range blockedPrefixes {
		bad = bad || p.Contains(ip)
	}
	if bad {
		return fmt.Errorf("Attachment download_url resolves to a blocked address (%s is private, link-local or reserved).", ip)
	}
	return nil
}

// importPolicy checks every URL an import touches (the first and each
// redirect) and pins each host to the addresses it checked, so the dialer
// connects to exactly those: a DNS answer cannot change between check and
// connect.
type importPolicy struct {
	allowLoopback bool
	loopbackOnly  bool // a test CA is trusted: nothing but loopback may be reached
	hosts         []string
	hooks         Hooks

	mu   sync.Mutex
	pins map[string][]netip.Addr
}

func newImportPolicy(c Config, hooks Hooks) (*importPolicy, error) {
	hosts := append([]string(nil), defaultImportHosts...)
	for _, h := range c.AllowedHosts {
		hosts = append(hosts, strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), "."))
	}
	p := &importPolicy{allowLoopback: c.AllowLoopback, hosts: hosts, hooks: hooks, pins: map[string][]netip.Addr{}}
	if c.TestCAFile == "" {
		return p, nil
	}
	if !c.AllowLoopback {
		return nil, errors.New("CODEXPRO_IMPORT_TEST_CA_FILE is set without CODEXPRO_IMPORT_ALLOW_LOOPBACK=1; refusing imports (both are test-only)")
	}
	pem, err := os.ReadFile(c.TestCAFile)
	if err != nil {
		return nil, fmt.Errorf("CODEXPRO_IMPORT_TEST_CA_FILE: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CODEXPRO_IMPORT_TEST_CA_FILE %s holds no PEM certificate", c.TestCAFile)
	}
	p.hooks.RootCAs, p.loopbackOnly = pool, true
	return p, nil
}

// check validates u and pins its host. It runs before any connection.
func (p *importPolicy) check(ctx context.Context, u *url.URL) error {
	if u.Scheme != "https" {
		return errors.New("Attachment download_url must use HTTPS.")
	}
	if u.User != nil {
		return errors.New("Attachment download_url must not include credentials.")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return errors.New("Attachment download_url has no host.")
	}
	addrs, err := p.addresses(ctx, host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if err := checkAddr(a, p.allowLoopback); err != nil {
			return err
		}
	}
	p.mu.Lock()
	p.pins[host] = addrs
	p.mu.Unlock()
	return nil
}

// addresses returns the addresses host may be reached at, after the host
// allowlist. Loopback names skip the allowlist only under the test switch.
func (p *importPolicy) addresses(ctx context.Context, host string) ([]netip.Addr, error) {
	ip, err := netip.ParseAddr(host)
	if host == "localhost" || (err == nil && ip.Unmap().IsLoopback()) {
		if !p.allowLoopback {
			return nil, errLoopback
		}
		if err != nil {
			ip = netip.MustParseAddr("127.0.0.1")
		}
		return []netip.Addr{ip}, nil
	}
	if p.loopbackOnly {
		return nil, errors.New("Attachment download_url must be loopback while CODEXPRO_IMPORT_TEST_CA_FILE is set (test-only).")
	}
	if !p.allowedHost(host) {
		return nil, errors.New("Attachment download_url host is not an approved ChatGPT file origin (add it to CODEXPRO_IMPORT_ALLOWED_HOSTS).")
	}
	if err == nil {
		return []netip.Addr{ip}, nil
	}
	addrs, err := p.lookup(ctx, host)
	if err != nil || len(addrs) == 0 {
		return nil, errors.New("Attachment download_url hostname could not be resolved.")
	}
	return addrs, nil
}

func (p *importPolicy) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if p.hooks.Resolve != nil {
		return p.hooks.Resolve(ctx, host)
	}
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

func (p *importPolicy) allowedHost(host string) bool {
	for _, h := range p.hosts {
		if h != "" && (host == h || strings.HasSuffix(host, "."+h)) {
			return true
		}
	}
	return false
}

// dial connects only to the pinned addresses of a checked host. The
// Control hook re-checks the address the socket really connects to, so even
// a bug in pinning cannot reach a private range.
func (p *importPolicy) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	pins := p.pins[strings.TrimSuffix(strings.ToLower(host), ".")]
	p.mu.Unlock()
	if len(pins) == 0 {
		return nil, errors.New("Attachment download_url host was not checked by the import policy.")
	}
	d := net.Dialer{Timeout: 15 * time.Second, Control: controlFor(p.allowLoopback)}
	var last error
	for _, ip := range pins {
		target := net.JoinHostPort(ip.String(), port)
		if p.hooks.OnDial != nil {
			p.hooks.OnDial(target)
		}
		c, err := d.DialContext(ctx, network, target)
		if err == nil {
			return c, nil
		}
		last = err
	}
	return nil, last
}

// controlFor refuses a socket whose destination is not allowed.
func controlFor(allowLoopback bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("import dial to unparsable address refused: %w", err)
		}
		return checkAddr(ap.Addr(), allowLoopback)
	}
}

// client builds the HTTP client for one import: no proxy (a proxy would
// connect on our behalf, past the address checks), pinned dialing, and the
// policy re-run on every redirect.
func (p *importPolicy) client() *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         p.dial,
		TLSClientConfig:     &tls.Config{RootCAs: p.hooks.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 15 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   true,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return errors.New("Attachment download_url exceeded redirect limit.")
		}
		return p.check(req.Context(), req.URL)
	}}
}
