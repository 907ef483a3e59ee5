package tunnelctl

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codexpro.dev/tunnelctl/tunneltest"
)

const (
	ngrokDomain    = "x.ngrok.app"
	ngrokAuthtoken = "2ngrokAuthTokenSecret_0123456789abcdefABCDEF"
)

// ngrokUp runs Up with --provider ngrok and the fake ngrok, whose agent
// API finds its first choice of port taken (as 4040 is when another agent
// runs). It returns the run and the fake's record file.
func ngrokUp(t *testing.T, mod func(*Options)) (*upRun, string) {
	t.Helper()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	record := filepath.Join(t.TempDir(), "ngrok-calls")
	r := startUp(t, func(o *Options) {
		edges := filepath.Join(filepath.Dir(o.Home), "edges")
		o.Provider, o.Hostname, o.NgrokBin = ProviderNgrok, ngrokDomain, fakes.Ngrok
		o.Env = append(o.Env, "FAKE_EDGES="+edges, "FAKE_NGROK_RECORD="+record, "FAKE_NGROK_WEB_ADDR="+busy.Addr().String(),
			"NGROK_AUTHTOKEN="+ngrokAuthtoken, "TUNNEL_TOKEN=inherited-cloudflare-token")
		o.PublicClient = &http.Client{Transport: edgeTransport{edges: edges}}
		if mod != nil {
			mod(o)
		}
	})
	return r, record
}

// noSecretOnAnyCommandLine scans every /proc/*/cmdline while the tunnel runs.
func noSecretOnAnyCommandLine(t *testing.T, secrets ...string) {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, _ := os.ReadFile(p)
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds a secret: %q", p, b)
			}
		}
	}
}

// TestUpNgrok: the reserved domain is announced once ngrok's agent API
// (found from its JSON log, not at the busy first port) lists the tunnel
// and https://DOMAIN/healthz answers through it; tools/list reaches mcpd,
// which accepts the domain as Host; the authtoken reaches only ngrok, in
// its environment; no token is on a command line, in the inspector, the
// output, the log or the runtime file; a killed ngrok is back within 10 s.
func TestUpNgrok(t *testing.T) {
	r, record := ngrokUp(t, nil)
	base := "https://" + ngrokDomain
	token := r.servesAt(base)
	st := r.state()
	if st.Provider != ProviderNgrok || st.Tunnel != "ngrok" || !strings.HasSuffix(st.Edge.ReadyURL, "/api/tunnels") {
		t.Errorf("runtime file: provider %q tunnel %q ready URL %q", st.Provider, st.Tunnel, st.Edge.ReadyURL)
	}
	calls := tunneltest.Calls(record)
	if len(calls) == 0 {
		t.Fatal("the fake ngrok recorded no run")
	}
	args := strings.Join(calls[len(calls)-1].Args, " ")
	origin := strings.TrimSuffix(strings.TrimPrefix(st.LocalURL, "http://"), "/mcp")
	if want := "http --url=" + ngrokDomain + " --inspect=false --log=stdout --log-format=json " + origin; args != want {
		t.Errorf("ngrok argv %q, want %q", args, want)
	}
	c := calls[len(calls)-1]
	if v, _ := c.Getenv("NGROK_AUTHTOKEN"); v != ngrokAuthtoken {
		t.Error("ngrok did not get NGROK_AUTHTOKEN in its environment")
	}
	for _, name := range []string{"CODEXPRO_HTTP_TOKEN", "TUNNEL_TOKEN"} {
		if _, ok := c.Getenv(name); ok {
			t.Errorf("ngrok inherited %s", name)
		}
	}
	mcEnv := environ(st.Mcpd.PID)
	if strings.Contains(mcEnv, ngrokAuthtoken) || !strings.Contains(mcEnv, "CODEXPRO_PUBLIC_HOSTNAME="+ngrokDomain) {
		t.Error("mcpd must accept the ngrok domain and never see the authtoken")
	}
	noSecretOnAnyCommandLine(t, token, ngrokAuthtoken)
	api := strings.TrimSuffix(st.Edge.ReadyURL, "/tunnels")
	resp, err := loopbackClient().Get(api + "/requests/http")
	if err != nil {
		t.Fatal(err)
	}
	inspected, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(inspected), token) {
		t.Errorf("ngrok's inspector recorded the connector token: %s", inspected)
	}

	killPID(st.Edge.PID)
	killed := time.Now()
	waitFor(t, "ngrok restarted and ready", 10*time.Second, func() bool {
		s := r.state()
		return s.Edge.PID != 0 && s.Edge.PID != st.Edge.PID && s.Edge.LastHealthy.After(killed) && s.ConnectorURL != ""
	})
	r.viaEdge(base, token, "tools/list")
	var status bytes.Buffer
	Status(context.Background(), &status, r.home, time.Now())
	if !strings.Contains(status.String(), "ngrok        pid") || !strings.Contains(status.String(), "1 restarts") ||
		!strings.Contains(status.String(), "ready: ready") {
		t.Errorf("status after the restart:\n%s", status.String())
	}
	raw, _ := os.ReadFile(RuntimePath(r.home, r.opts.Root))
	if strings.Contains(r.out.String(), ngrokAuthtoken) {
		t.Error("stdout holds the authtoken")
	}
	for where, text := range map[string]string{"log": r.log.String(), "runtime file": string(raw), "status": status.String()} {
		if strings.Contains(text, token) || strings.Contains(text, ngrokAuthtoken) {
			t.Errorf("%s holds a token", where)
		}
	}
	pid := r.state().Edge.PID
	r.stop()
	if alive(pid) {
		t.Error("ngrok still runs after tunnelctl stopped")
	}
}

// TestUpNgrokRefusals: a missing domain names --hostname and where to
// find it; no authtoken fails fast with ngrok's own message; an authtoken
// ngrok prints (here from --ngrok-config) is scrubbed from the error.
func TestUpNgrokRefusals(t *testing.T) {
	if err := Up(context.Background(), Options{Home: t.TempDir(), Provider: ProviderNgrok}); err == nil ||
		!strings.Contains(err.Error(), "--hostname DOMAIN") || !strings.Contains(err.Error(), "dashboard.ngrok.com/domains") {
		t.Errorf("ngrok without a domain: %v", err)
	}
	if err := Up(context.Background(), Options{Home: t.TempDir(), Provider: ProviderNgrok, Hostname: ngrokDomain, Named: true}); err == nil ||
		!strings.Contains(err.Error(), "--named is for --provider cloudflare") {
		t.Errorf("--named with ngrok: %v", err)
	}
	if err := Up(context.Background(), Options{Home: t.TempDir(), Provider: ProviderNgrok, Hostname: ngrokDomain, NgrokConfig: "ngrok.yml"}); err == nil ||
		!strings.Contains(err.Error(), "must be an absolute path") {
		t.Errorf("relative --ngrok-config: %v", err)
	}

	t.Run("no authtoken", func(t *testing.T) {
		r, _ := ngrokUp(t, func(o *Options) {
			o.Env = append(withoutVar(o.Env, "NGROK_AUTHTOKEN"), "HOME="+t.TempDir())
		})
		err := r.wait(t)
		if err == nil || !strings.Contains(err.Error(), "ERR_NGROK_4018") {
			t.Fatalf("err = %v, want ngrok's authtoken error", err)
		}
	})
	t.Run("authtoken printed by ngrok", func(t *testing.T) {
		config := filepath.Join(t.TempDir(), "ngrok.yml")
		os.WriteFile(config, []byte("version: \"3\"\nagent:\n  authtoken: "+ngrokAuthtoken+"\n"), 0o600)
		r, _ := ngrokUp(t, func(o *Options) {
			o.NgrokConfig, o.ReadyTimeout = config, time.Second
			o.Env = append(withoutVar(o.Env, "NGROK_AUTHTOKEN"), "FAKE_NGROK_LEAK=1")
			o.PublicClient = &http.Client{Transport: edgeTransport{edges: t.TempDir()}} // the domain never routes here
		})
		err := r.wait(t)
		if err == nil || !strings.Contains(err.Error(), "using authtoken "+Redacted) || strings.Contains(err.Error(), ngrokAuthtoken) {
			t.Fatalf("err = %v, want the authtoken redacted from ngrok's output", err)
		}
	})
}

// servesAt waits for the first ready line, wants its URL to be base and
// tools/list to answer through the tunnel, and returns the token.
func (r *upRun) servesAt(base string) string {
	r.t.Helper()
	got, token := r.waitReady(1)
	if got != base {
		r.t.Fatalf("announced %s, want %s", got, base)
	}
	if res := r.viaEdge(base, token, "tools/list"); res["tools"] == nil {
		r.t.Errorf("tools/list through the tunnel: %v", res)
	}
	return token
}

// stop cancels Up and wants it to end cleanly.
func (r *upRun) stop() {
	r.t.Helper()
	r.cancel()
	if err := <-r.errc; err != nil {
		r.t.Fatalf("Up after cancel: %v", err)
	}
	r.errc <- nil
}

// wait returns Up's error (it must end within 30 s).
func (r *upRun) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.errc:
		r.errc <- err
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("Up did not end\nlog:\n%s", r.log)
	}
	return nil
}

func withoutVar(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestNgrokLogLines: the JSON log and the logfmt one (an agent whose config
// sets log_format) both give the agent API's address and the URL.
func TestNgrokLogLines(t *testing.T) {
	for _, l := range []string{
		`{"addr":"127.0.0.1:4041","lvl":"info","msg":"starting web service","obj":"web","t":"2026-12-04T18:00:00Z"}`,
		`t=2026-12-04T18:00:00+0000 lvl=info msg="starting web service" obj=web addr=127.0.0.1:4041 allow_hosts=[]`,
	} {
		if e, ok := parseNgrokLine(l); !ok || e.Msg != "starting web service" || e.Addr != "127.0.0.1:4041" {
			t.Errorf("%s: %+v", l, e)
		}
	}
	l := `t=2026-12-04T18:00:01+0000 lvl=info msg="started tunnel" obj=tunnels name=command_line addr=http://127.0.0.1:5000 url=https://x.ngrok.app`
	if e, ok := parseNgrokLine(l); !ok || e.Msg != "started tunnel" || e.URL != "https://x.ngrok.app" {
		t.Errorf("%s: %+v", l, e)
	}
	if _, ok := parseNgrokLine("ngrok http: some banner"); ok {
		t.Error("a line without msg= parsed")
	}
}

// TestNgrokProbeWithoutALoggedAPI: until ngrok logs its agent API's
// address, the default one counts only when it lists a tunnel from the
// reserved domain to this mcpd's port (another agent's tunnels do not);
// with no API at all, the logged "started tunnel" is enough.
func TestNgrokProbeWithoutALoggedAPI(t *testing.T) {
	var body string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, body) }))
	defer api.Close()
	n := &ngrok{host: ngrokDomain, originPort: 5123, local: loopbackClient(), defaultAPI: strings.TrimPrefix(api.URL, "http://")}
	ctx := context.Background()
	body = `{"tunnels":[{"public_url":"https://x.ngrok.app","config":{"addr":"http://127.0.0.1:9999"}}]}`
	if err := n.probe(ctx); err == nil || !strings.Contains(err.Error(), "lists no tunnel from https://x.ngrok.app to 127.0.0.1:5123") {
		t.Errorf("another agent's tunnel accepted: %v", err)
	}
	body = `{"tunnels":[{"public_url":"https://X.ngrok.app","config":{"addr":"http://127.0.0.1:5123"}}]}`
	if err := n.probe(ctx); err != nil {
		t.Fatalf("our tunnel at the default API: %v", err)
	}
	if url, ready := n.state(); url != "https://"+ngrokDomain || ready != api.URL+"/api/tunnels" {
		t.Errorf("state %q %q", url, ready)
	}
	quiet := &ngrok{host: ngrokDomain, originPort: 5123, local: loopbackClient(), defaultAPI: "127.0.0.1:1"}
	if err := quiet.probe(ctx); err == nil {
		t.Error("ready with neither an API nor a logged tunnel")
	}
	quiet.line(`{"msg":"started tunnel","obj":"tunnels","url":"https://x.ngrok.app"}`)
	if err := quiet.probe(ctx); err != nil {
		t.Errorf("web interface off, tunnel logged: %v", err)
	}
}
