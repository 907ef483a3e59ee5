package tunnelctl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"codexpro.dev/tunnelctl/tunneltest"
)

var readyRE = regexp.MustCompile(`CODEXPRO_READY (https://[a-z0-9.:-]+)/mcp\?codexpro_token=([0-9a-f]{64})\n`)

type upRun struct {
	t           *testing.T
	opts        Options
	out, log    *tunneltest.Buffer
	edges, home string
	errc        chan error
	cancel      context.CancelFunc
}

func fastPolicy() Policy {
	p := DefaultPolicy()
	p.Interval, p.StartTimeout, p.StopGrace = 200*time.Millisecond, 20*time.Second, time.Second
	return p
}

// startUp runs Up with the fakes in the background.
func startUp(t *testing.T, mod func(*Options)) *upRun {
	t.Helper()
	dir := t.TempDir()
	r := &upRun{t: t, out: &tunneltest.Buffer{}, log: &tunneltest.Buffer{}, edges: filepath.Join(dir, "edges"),
		home: filepath.Join(dir, "codexpro"), errc: make(chan error, 1)}
	os.Mkdir(r.edges, 0o700)
	root := filepath.Join(dir, "repo")
	os.Mkdir(root, 0o700)
	r.opts = Options{Root: root, McpdBin: fakes.Mcpd, McpdArgs: []string{"--root", root, "--mode", "agent"},
		Resolver: Resolver{Explicit: fakes.Cloudflared}, Headless: true, Home: r.home,
		Stdout: r.out, Log: zerolog.New(r.log), Policy: fastPolicy(),
		Env: append(os.Environ(), "FAKE_CLOUDFLARED_EDGES="+r.edges)}
	if mod != nil {
		mod(&r.opts)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.errc <- Up(ctx, r.opts) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.errc:
		case <-time.After(15 * time.Second):
			t.Error("Up did not stop within 15s of cancel")
		}
	})
	return r
}

// waitReady returns the n-th CODEXPRO_READY line's base URL and token.
func (r *upRun) waitReady(n int) (base, token string) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := readyRE.FindAllStringSubmatch(r.out.String(), -1); len(m) >= n {
			return m[n-1][1], m[n-1][2]
		}
		select {
		case err := <-r.errc:
			r.errc <- err
			r.t.Fatalf("Up ended: %v\nstdout:\n%s\nlog:\n%s", err, r.out, r.log)
		case <-time.After(50 * time.Millisecond):
		}
	}
	r.t.Fatalf("no CODEXPRO_READY #%d in 20s\nstdout:\n%s\nlog:\n%s", n, r.out, r.log)
	return "", ""
}

func (r *upRun) state() RuntimeState {
	r.t.Helper()
	st, err := readRuntime(RuntimePath(r.home, r.opts.Root))
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

// edgeAddr is where the fake cloudflared accepts "public" traffic for host.
func (r *upRun) edgeAddr(host string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.edges, host))
	if err != nil {
		r.t.Fatalf("fake cloudflared published no edge for %s: %v", host, err)
	}
	return string(b)
}

// viaEdge POSTs a JSON-RPC call to public /mcp through the fake tunnel.
func (r *upRun) viaEdge(base, token, method string) map[string]any {
	r.t.Helper()
	u, _ := url.Parse(base)
	req, _ := http.NewRequest(http.MethodPost, "http://"+r.edgeAddr(u.Hostname())+"/mcp?codexpro_token="+token,
		strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"`+method+`"}`))
	req.Host = u.Host
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("%s through the tunnel: HTTP %d %s", method, resp.StatusCode, body)
	}
	var out struct{ Result map[string]any }
	if err := json.Unmarshal(body, &out); err != nil {
		r.t.Fatalf("decode %s: %v", body, err)
	}
	return out.Result
}

func cmdline(pid int) []string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
}

func environ(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	return strings.ReplaceAll(string(b), "\x00", "\n")
}

func TestUpQuickTunnelHeadless(t *testing.T) {
	hostile := t.TempDir()
	os.MkdirAll(filepath.Join(hostile, ".cloudflared"), 0o700)
	os.WriteFile(filepath.Join(hostile, ".cloudflared", "config.yml"), []byte("ingress:\n  - service: http_status:404\n"), 0o600)
	r := startUp(t, func(o *Options) {
		o.Env = append(o.Env, "HOME="+hostile, "TUNNEL_TOKEN=inherited-tunnel-token", "CODEXPRO_NO_AUTH=1")
	})
	base, token := r.waitReady(1)
	host := strings.TrimPrefix(base, "https://")
	if !strings.HasSuffix(host, ".trycloudflare.com") {
		t.Errorf("quick tunnel announced %s, want a trycloudflare.com host", base)
	}

	res := r.viaEdge(base, token, "initialize")
	st := r.state()
	origin := strings.TrimPrefix(st.LocalURL, "http://")
	origin = strings.TrimSuffix(origin, "/mcp")
	if res["host"] != origin || res["forwarded_host"] != host {
		t.Errorf("mcpd saw Host %v (X-Forwarded-Host %v), want %s (%s)", res["host"], res["forwarded_host"], origin, host)
	}
	if res := r.viaEdge(base, token, "tools/list"); res["tools"] == nil {
		t.Errorf("tools/list through the tunnel: %v", res)
	}

	args := strings.Join(cmdline(st.Edge.PID), " ")
	for _, want := range []string{"--no-autoupdate", "--config " + filepath.Join(r.home, "runtime", "cloudflared-empty.yml"),
		"--metrics " + strings.TrimSuffix(strings.TrimPrefix(st.Edge.ReadyURL, "http://"), "/ready"), "--http-host-header " + origin, "--url http://" + origin} {
		if !strings.Contains(args, want) {
			t.Errorf("cloudflared argv %q lacks %q", args, want)
		}
	}
	cfEnv, mcEnv := environ(st.Edge.PID), environ(st.Mcpd.PID)
	if strings.Contains(cfEnv, "inherited-tunnel-token") || strings.Contains(cfEnv, token) {
		t.Error("cloudflared inherited TUNNEL_TOKEN or the connector token")
	}
	if !strings.Contains(mcEnv, "CODEXPRO_HTTP_TOKEN="+token) || strings.Contains(mcEnv, "CODEXPRO_NO_AUTH") || strings.Contains(mcEnv, "inherited-tunnel-token") {
		t.Error("mcpd env must carry the token and no tunnel token or no-auth switch")
	}
	for _, pid := range []int{st.Mcpd.PID, st.Edge.PID} {
		if strings.Contains(strings.Join(cmdline(pid), " "), token) {
			t.Errorf("pid %d has the connector token on its command line", pid)
		}
	}
}

func TestUpRuntimeFileAndStatusNeverShowToken(t *testing.T) {
	r := startUp(t, nil)
	base, token := r.waitReady(1)
	path := RuntimePath(r.home, r.opts.Root)
	raw, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	di, _ := os.Stat(filepath.Dir(path))
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Errorf("runtime file %v dir %v, want 0600 and 0700", fi.Mode().Perm(), di.Mode().Perm())
	}
	var out bytes.Buffer
	if err := Status(context.Background(), &out, r.home, time.Now()); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"runtime file": string(raw), "status": out.String(), "log": r.log.String()} {
		if strings.Contains(text, token) {
			t.Errorf("%s contains the raw token", name)
		}
	}
	for _, want := range []string{"running", base + "/mcp", "codexpro_token=<redacted>", "ready: ready", "Tunnel       quick (cloudflare)", "mcpd         pid"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, out.String())
		}
	}
	r.stop()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("runtime file left after shutdown: %v", err)
	}
}

func waitFor(t *testing.T, what string, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestUpRestartsKilledChildren(t *testing.T) {
	r := startUp(t, nil)
	base, token := r.waitReady(1)
	st := r.state()

	killPID(st.Edge.PID)
	killed := time.Now()
	base2, token2 := r.waitReady(2)
	if time.Since(killed) > 10*time.Second {
		t.Errorf("cloudflared ready again after %s, want < 10s", time.Since(killed))
	}
	if base2 == base || token2 != token {
		t.Errorf("after restart: URL %s (was %s), token changed: %v", base2, base, token2 != token)
	}
	r.viaEdge(base2, token2, "initialize")

	killPID(st.Mcpd.PID)
	killed = time.Now()
	waitFor(t, "mcpd restarted and healthy", 10*time.Second, func() bool {
		s := r.state()
		return s.Mcpd.PID != 0 && s.Mcpd.PID != st.Mcpd.PID && s.Mcpd.LastHealthy.After(killed)
	})
	r.viaEdge(base2, token2, "tools/list")
	if s := r.state(); s.Mcpd.Restarts != 1 || s.Edge.Restarts != 1 {
		t.Errorf("restarts mcpd=%d cloudflared=%d, want 1 and 1", s.Mcpd.Restarts, s.Edge.Restarts)
	}
	if !strings.Contains(r.log.String(), `"message":"mcpd down"`) {
		t.Errorf("the mcpd death was not logged:\n%s", r.log)
	}
}

func TestUpFailsFastWithChildError(t *testing.T) {
	cases := []struct {
		name, env, want string
	}{
		{"mcpd refuses its flags", "FAKE_MCPD_FAIL=1", "fake failure requested by FAKE_MCPD_FAIL"},
		{"quick tunnel refused", "FAKE_CLOUDFLARED_MODE=refused", "429 Too Many Requests"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := startUp(t, func(o *Options) { o.Env = append(o.Env, tc.env) })
			select {
			case err := <-r.errc:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want the child's own message %q", err, tc.want)
				}
				r.errc <- err
			case <-time.After(15 * time.Second):
				t.Fatal("Up did not fail")
			}
			if out := r.out.String(); strings.Contains(out, ReadyLine) {
				t.Errorf("announced a URL despite the failure: %s", out)
			}
		})
	}
}

func TestUpRefusesBadOptions(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Options)
		want string
	}{
		{"named without hostname", func(o *Options) { o.Named, o.TunnelName = true, "x" }, "--named needs --hostname"},
		{"named without a tunnel", func(o *Options) { o.Named, o.Hostname = true, "h.example" }, "--cloudflare-token-file"},
		{"hostname without named", func(o *Options) { o.Hostname = "h.example" }, "needs --named"},
		{"short token", func(o *Options) { o.Token = "short" }, "at least 24"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{Home: t.TempDir()}
			tc.mod(&o)
			if err := Up(context.Background(), o); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// edgeTransport sends https://HOST requests to the fake's loopback edge for HOST.
type edgeTransport struct{ edges string }

func (e edgeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	addr, err := os.ReadFile(filepath.Join(e.edges, req.URL.Hostname()))
	if err != nil {
		return nil, fmt.Errorf("no route to %s yet", req.URL.Host)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = "http", string(addr), req.URL.Host
	return http.DefaultTransport.RoundTrip(out)
}

func TestUpNamedTunnelTokenNeverExposed(t *testing.T) {
	const cfToken = "eyJhIjoiY2YtdHVubmVsLXNlY3JldC10b2tlbi0xMjM0NTY3ODkwIn0"
	r := startUp(t, func(o *Options) {
		o.Named, o.Hostname, o.TunnelToken = true, "named.example.test", cfToken
		o.PublicClient = &http.Client{Transport: edgeTransport{edges: filepath.Join(filepath.Dir(o.Home), "edges")}}
	})
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(r.out.String(), "CODEXPRO_READY https://named.example.test/mcp?codexpro_token=") {
		if time.Now().After(deadline) {
			t.Fatalf("named tunnel not announced\nstdout:\n%s\nlog:\n%s", r.out, r.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	st := r.state()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(cfToken)) {
			t.Errorf("%s contains the Cloudflare tunnel token", p)
		}
	}
	if !strings.Contains(environ(st.Edge.PID), "TUNNEL_TOKEN="+cfToken) {
		t.Error("cloudflared did not get TUNNEL_TOKEN in its environment")
	}
	if strings.Contains(environ(st.Mcpd.PID), cfToken) {
		t.Error("mcpd can see the Cloudflare tunnel token")
	}
	if !strings.Contains(environ(st.Mcpd.PID), "CODEXPRO_PUBLIC_HOSTNAME=named.example.test") {
		t.Error("mcpd was not told to accept the named host")
	}
	raw, _ := os.ReadFile(RuntimePath(r.home, r.opts.Root))
	for name, text := range map[string]string{"stdout": r.out.String(), "log": r.log.String(), "runtime file": string(raw)} {
		if strings.Contains(text, cfToken) {
			t.Errorf("%s contains the Cloudflare tunnel token", name)
		}
	}
}
