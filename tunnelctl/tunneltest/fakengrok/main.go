// Command fakengrok plays the ngrok agent (v3) in tests: `ngrok version`,
// and `ngrok http --url=DOMAIN [--config FILE] [--inspect=BOOL] [--log=stdout
// --log-format=json] ADDR`. It needs an authtoken the way ngrok does
// (NGROK_AUTHTOKEN, or authtoken: in the config file), logs JSON lines
// ("starting web service" with the agent API's address, "started tunnel"
// with the URL), serves the agent API (/api/tunnels, and
// /api/requests/http, which records requests unless --inspect=false) on
// 127.0.0.1:4040 or, when that is taken, the next free port, and forwards
// HTTP from its own loopback "edge" listener to ADDR with the public Host.
//
// Environment:
//
//	FAKE_EDGES         directory; the edge address is written to <dir>/<domain>
//	FAKE_NGROK_RECORD  file; each run appends its argv and environment (tunneltest.Calls)
//	FAKE_NGROK_WEB_ADDR  the first agent API address to try (default 127.0.0.1:4040)
//	FAKE_NGROK_LEAK=1  log the authtoken, as a careless tool might
package main

import (
	"bufio"
	"encoding/json"
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
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"codexpro.dev/tunnelctl/tunneltest"
)

type options struct {
	url, config, log, logFormat string
	inspect                     bool
	addr                        string
}

func main() {
	tunneltest.Record("FAKE_NGROK_RECORD")
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println("ngrok version 3.22.1")
		return
	}
	o, err := parse(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		os.Exit(1)
	}
	if err := run(o); err != nil {
		logf("crit", "command failed", map[string]string{"err": err.Error()})
		os.Exit(1)
	}
}

func parse(args []string) (options, error) {
	var o options
	if len(args) == 0 || args[0] != "http" {
		return o, errors.New("expected the http command")
	}
	fs := flag.NewFlagSet("http", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "", "")
	fs.StringVar(&o.config, "config", "", "")
	fs.StringVar(&o.log, "log", "false", "")
	fs.StringVar(&o.logFormat, "log-format", "term", "")
	fs.BoolVar(&o.inspect, "inspect", true, "")
	fs.String("authtoken", "", "")
	if err := fs.Parse(args[1:]); err != nil {
		return o, err
	}
	if fs.NArg() != 1 {
		return o, fmt.Errorf("want exactly one address to forward to, got %q", fs.Args())
	}
	o.addr = fs.Arg(0)
	return o, nil
}

func run(o options) error {
	token := authtoken(o.config)
	if token == "" {
		return errors.New("authentication failed: Usage of ngrok requires a verified account and authtoken.\n\nSign up for an account: https://dashboard.ngrok.com/signup\nInstall your authtoken: https://dashboard.ngrok.com/get-started/your-authtoken\n\nERR_NGROK_4018")
	}
	if os.Getenv("FAKE_NGROK_LEAK") == "1" {
		logf("info", "using authtoken "+token, nil)
	}
	host := strings.TrimPrefix(strings.TrimPrefix(o.url, "https://"), "http://")
	if host == "" {
		host = fmt.Sprintf("%d-random.ngrok-free.app", time.Now().UnixNano()%100000)
	}
	target := o.addr
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	origin, err := url.Parse(target)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var requests []string
	api, err := serveAPI(o, host, target, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), requests...) })
	if err != nil {
		return err
	}
	logf("info", "starting web service", map[string]string{"obj": "web", "addr": api})
	edge, err := serveEdge(origin, func(r *http.Request) {
		if o.inspect {
			mu.Lock()
			requests = append(requests, r.URL.RequestURI())
			mu.Unlock()
		}
	})
	if err != nil {
		return err
	}
	if dir := os.Getenv("FAKE_EDGES"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, host), []byte(edge), 0o600); err != nil {
			return err
		}
	}
	logf("info", "client session established", map[string]string{"obj": "tunnels.session"})
	logf("info", "started tunnel", map[string]string{"obj": "tunnels", "name": "command_line", "addr": target, "url": "https://" + host})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	return nil
}

// authtoken is NGROK_AUTHTOKEN, else the config's authtoken (the given
// file, or the default one under $HOME).
func authtoken(config string) string {
	if t := os.Getenv("NGROK_AUTHTOKEN"); t != "" {
		return t
	}
	if config == "" {
		home, _ := os.UserHomeDir()
		config = filepath.Join(home, ".config", "ngrok", "ngrok.yml")
	}
	f, err := os.Open(config)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "authtoken" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// serveAPI listens on the first free port from FAKE_NGROK_WEB_ADDR (or
// 4040) on, as ngrok does when another agent holds 4040.
func serveAPI(o options, host, target string, requests func() []string) (string, error) {
	first := os.Getenv("FAKE_NGROK_WEB_ADDR")
	if first == "" {
		first = "127.0.0.1:4040"
	}
	h, p, err := net.SplitHostPort(first)
	if err != nil {
		return "", err
	}
	port, _ := strconv.Atoi(p)
	var ln net.Listener
	for i := 0; i < 20 && ln == nil; i++ {
		ln, err = net.Listen("tcp", net.JoinHostPort(h, strconv.Itoa(port+i)))
	}
	if ln == nil {
		return "", fmt.Errorf("failed to start web service: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tunnels", func(w http.ResponseWriter, _ *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"uri": "/api/tunnels", "tunnels": []any{map[string]any{
			"name": "command_line", "uri": "/api/tunnels/command_line", "public_url": "https://" + host, "proto": "https",
			"config": map[string]any{"addr": target, "inspect": o.inspect}}}})
	})
	mux.HandleFunc("/api/requests/http", func(w http.ResponseWriter, _ *http.Request) {
		var list []any
		for _, uri := range requests() {
			list = append(list, map[string]any{"request": map[string]any{"uri": uri}})
		}
		json.NewEncoder(w).Encode(map[string]any{"uri": "/api/requests/http", "requests": list})
	})
	go http.Serve(ln, mux)
	return ln.Addr().String(), nil
}

// serveEdge forwards to origin keeping the public Host, as ngrok does by default.
func serveEdge(origin *url.URL, seen func(*http.Request)) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("edge listener: %w", err)
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(origin)
		r.Out.Host = r.In.Host
		r.Out.Header.Set("X-Forwarded-Proto", "https")
		r.Out.Header.Set("X-Forwarded-For", "203.0.113.9")
	}}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen(r)
		proxy.ServeHTTP(w, r)
	}))
	return ln.Addr().String(), nil
}

// logf prints one JSON log line on stdout, as --log=stdout --log-format=json does.
func logf(level, msg string, fields map[string]string) {
	line := map[string]string{"t": time.Now().Format(time.RFC3339Nano), "lvl": level, "msg": msg}
	for k, v := range fields {
		line[k] = v
	}
	b, _ := json.Marshal(line)
	fmt.Println(string(b))
}
