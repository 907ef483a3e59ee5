// Command fakecloudflared plays cloudflared in tests: it accepts the flags
// tunnelctl passes, prints the real quick-tunnel log lines on stderr, serves
// /ready, /healthcheck and /quicktunnel on --metrics, and forwards HTTP from
// its own loopback "edge" listener to --url with the --http-host-header Host.
//
// Environment:
//
//	FAKE_CLOUDFLARED_EDGES  directory; the edge address is written to <dir>/<public host>
//	FAKE_CLOUDFLARED_MODE   "" | "refused" (429 then exit 1) | "no-connect" (/ready stays 503)
//	FAKE_CLOUDFLARED_NAMED_HOST  public host of a named tunnel (default named.example.test)
//	FAKE_CLOUDFLARED_LEAK=1      log the tunnel token, as a careless tool might
package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

const version = "cloudflared version 2026.7.2 (built 2026-07-20-0000 UTC, fake for tests)"

type options struct {
	config, metrics, origin, hostHeader string
	noAutoupdate                        bool
	named                               bool
	tokenFile, tunnelName               string
}

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "--version" || os.Args[1] == "version" || os.Args[1] == "-v") {
		fmt.Println(version)
		return
	}
	o, err := parse(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "Incorrect Usage:", err)
		os.Exit(1)
	}
	if err := run(o); err != nil {
		logf("ERR", "%v", err)
		os.Exit(1)
	}
}

func parse(args []string) (options, error) {
	var o options
	if len(args) == 0 || args[0] != "tunnel" {
		return o, errors.New("expected the tunnel command")
	}
	fs := flag.NewFlagSet("tunnel", flag.ContinueOnError)
	fs.StringVar(&o.config, "config", "", "")
	fs.StringVar(&o.metrics, "metrics", "", "")
	fs.StringVar(&o.origin, "url", "", "")
	fs.StringVar(&o.hostHeader, "http-host-header", "", "")
	fs.BoolVar(&o.noAutoupdate, "no-autoupdate", false, "")
	if err := fs.Parse(args[1:]); err != nil {
		return o, err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return o, nil
	}
	if rest[0] != "run" {
		return o, fmt.Errorf("unknown subcommand %q", rest[0])
	}
	o.named = true
	rs := flag.NewFlagSet("run", flag.ContinueOnError)
	rs.StringVar(&o.tokenFile, "token-file", "", "")
	if err := rs.Parse(rest[1:]); err != nil {
		return o, err
	}
	if rs.NArg() > 1 {
		return o, fmt.Errorf("too many arguments: %q", rs.Args())
	}
	o.tunnelName = rs.Arg(0)
	return o, nil
}

func run(o options) error {
	if o.origin == "" {
		return errors.New("--url is required")
	}
	origin, err := url.Parse(o.origin)
	if err != nil {
		return fmt.Errorf("--url: %w", err)
	}
	host, err := publicHost(o)
	if err != nil {
		return err
	}
	mode := os.Getenv("FAKE_CLOUDFLARED_MODE")
	if !o.named {
		logf("INF", "Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out.")
		logf("INF", "Requesting new quick Tunnel on trycloudflare.com...")
		if mode == "refused" {
			return errors.New(`Error requesting new quick Tunnel error="failed to request quick Tunnel: 429 Too Many Requests"`)
		}
	}
	var ready atomic.Bool
	if err := serveMetrics(o, host, &ready); err != nil {
		return err
	}
	edge, err := serveEdge(origin, o.hostHeader, hijacked(o))
	if err != nil {
		return err
	}
	if err := publishEdge(host, edge); err != nil {
		return err
	}
	if !o.named {
		banner("https://" + host)
	}
	if mode != "no-connect" {
		time.Sleep(100 * time.Millisecond)
		ready.Store(true)
		logf("INF", "Registered tunnel connection connIndex=0 connection=%s event=0 ip=198.41.200.13 location=fake protocol=quic", randHex(16))
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	logf("INF", "Initiating graceful shutdown due to signal terminated ...")
	return nil
}

func publicHost(o options) (string, error) {
	if !o.named {
		return fmt.Sprintf("%s-%s-%s.trycloudflare.com", randHex(3), randHex(3), randHex(3)), nil
	}
	if os.Getenv("TUNNEL_TOKEN") == "" && o.tokenFile == "" && o.tunnelName == "" {
		return "", errors.New("\"cloudflared tunnel run\" requires the ID or name of the tunnel to run, or a token")
	}
	if os.Getenv("FAKE_CLOUDFLARED_LEAK") == "1" {
		logf("ERR", "Couldn't start tunnel error=\"bad token %s\"", os.Getenv("TUNNEL_TOKEN"))
	}
	if h := os.Getenv("FAKE_CLOUDFLARED_NAMED_HOST"); h != "" {
		return h, nil
	}
	return "named.example.test", nil
}

// hijacked mimics cloudflared reading ~/.cloudflared/config.yml when no
// --config is given: a typical named-tunnel config ends in a catch-all 404.
func hijacked(o options) bool {
	if o.config != "" {
		return false
	}
	home, _ := os.UserHomeDir()
	_, err := os.Stat(filepath.Join(home, ".cloudflared", "config.yml"))
	return err == nil
}

func serveMetrics(o options, host string, ready *atomic.Bool) error {
	addr := o.metrics
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("failed to bind metrics server on %s: %w", addr, err)
	}
	logf("INF", "Starting metrics server on %s/metrics", ln.Addr())
	mux := http.NewServeMux()
	mux.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"status":503,"readyConnections":0,"connectorId":"fake"}`)
			return
		}
		fmt.Fprint(w, `{"status":200,"readyConnections":1,"connectorId":"fake"}`)
	})
	mux.HandleFunc("/healthcheck", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "OK") })
	mux.HandleFunc("/quicktunnel", func(w http.ResponseWriter, _ *http.Request) {
		h := host
		if o.named {
			h = ""
		}
		fmt.Fprintf(w, `{"hostname":%q}`, h)
	})
	go http.Serve(ln, mux)
	return nil
}

func serveEdge(origin *url.URL, hostHeader string, hijack bool) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("edge listener: %w", err)
	}
	var h http.Handler = &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		public := r.In.Host
		r.SetURL(origin)
		r.Out.Host = public
		if hostHeader != "" {
			r.Out.Host = hostHeader
		}
		r.Out.Header.Set("X-Forwarded-Host", public)
		r.Out.Header.Set("Cf-Connecting-Ip", "203.0.113.7")
	}}
	if hijack {
		h = http.NotFoundHandler()
	}
	go http.Serve(ln, h)
	return ln.Addr().String(), nil
}

func publishEdge(host, addr string) error {
	dir := os.Getenv("FAKE_CLOUDFLARED_EDGES")
	if dir == "" {
		return nil
	}
	return os.WriteFile(filepath.Join(dir, host), []byte(addr), 0o600)
}

// banner prints the box cloudflared's AsciiBox(lines, 2) draws.
func banner(u string) {
	lines := []string{"Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):", u}
	width := 0
	for _, l := range lines {
		width = max(width, len(l))
	}
	border := "+" + strings.Repeat("-", width+4) + "+"
	logf("INF", "%s", border)
	for _, l := range lines {
		logf("INF", "|  %s%s  |", l, strings.Repeat(" ", width-len(l)))
	}
	logf("INF", "%s", border)
}

func logf(level, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s %s %s\n", time.Now().UTC().Format(time.RFC3339), level, fmt.Sprintf(format, args...))
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
