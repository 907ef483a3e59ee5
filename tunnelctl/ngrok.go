package tunnelctl

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// NgrokInstall says how to install ngrok; tunnelctl never downloads it.
const NgrokInstall = "install ngrok from https://ngrok.com/download (macOS: brew install ngrok; Windows: winget install ngrok.ngrok; Linux: ngrok's apt repository or tarball), then ngrok config add-authtoken once"

// ngrok is the ngrok provider: `ngrok http --url=DOMAIN 127.0.0.1:PORT` on
// the user's reserved domain, so the URL is the same on every start.
// ngrok's authtoken stays where ngrok keeps it (its config, or
// NGROK_AUTHTOKEN in its environment), never on its command line.
type ngrok struct {
	program    Program
	bin        string
	config     string // --ngrok-config: passed as --config
	host       string // the reserved domain
	originPort int
	mcpToken   string
	secrets    []string // the authtoken, wherever tunnelctl can see it, scrubbed from output
	readyWait  time.Duration
	env        []string
	public     *http.Client
	local      *http.Client
	defaultAPI string // where the agent API is looked for until ngrok logs its address

	mu  sync.Mutex
	api string // the agent API address ngrok logged ("starting web service")
	url string // the public URL ngrok logged or listed
}

func newNgrok(o Options) (*ngrok, error) {
	if o.Hostname == "" {
		return nil, errors.New("--provider ngrok needs --hostname DOMAIN, your reserved ngrok domain (a random ngrok URL would change on every start): " +
			"every account has one free dev domain, listed at https://dashboard.ngrok.com/domains (e.g. name.ngrok-free.app)")
	}
	host := strings.TrimSuffix(o.Hostname, ":443")
	if strings.Contains(host, ":") {
		return nil, fmt.Errorf("--hostname %s: an ngrok domain has no port; ngrok serves it on 443", o.Hostname)
	}
	n := &ngrok{program: Program{Name: "ngrok", Explicit: o.NgrokBin, ExplicitName: orFlag(o.BinFrom, "--ngrok"), VersionArgs: []string{"version"}, Install: NgrokInstall},
		config: o.NgrokConfig, host: host, originPort: o.Port, mcpToken: o.Token, readyWait: o.ReadyTimeout,
		env: o.Env, public: o.PublicClient, local: loopbackClient(), defaultAPI: ngrokDefaultAPI}
	for _, kv := range o.Env {
		if v, ok := strings.CutPrefix(kv, "NGROK_AUTHTOKEN="); ok && v != "" {
			n.secrets = append(n.secrets, v)
		}
	}
	if n.config != "" {
		if !filepath.IsAbs(n.config) {
			return nil, fmt.Errorf("--ngrok-config %s: must be an absolute path", n.config)
		}
		tok, err := configAuthtoken(n.config)
		if err != nil {
			return nil, err
		}
		n.secrets = append(n.secrets, tok...)
	}
	return n, nil
}

// configAuthtoken reads the authtoken lines of an ngrok config, only so
// that output quoting them is scrubbed.
func configAuthtoken(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--ngrok-config %s: %w", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("--ngrok-config %s: not a regular file", path)
	}
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if v = strings.Trim(strings.TrimSpace(v), `"'`); ok && strings.TrimSpace(k) == "authtoken" && v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}

func (n *ngrok) prepare(ctx context.Context) (Resolved, string, error) {
	bin, err := n.program.Find(ctx)
	n.bin = bin.Path
	return bin, n.host, err
}

func (n *ngrok) kind() string { return "ngrok" }

func (n *ngrok) stableHost() (bool, string) { return true, "reserved ngrok domain" }

// policy: the first readiness includes https://DOMAIN/healthz through
// ngrok's edge, which may take as long as a named tunnel.
func (n *ngrok) policy(p Policy) Policy {
	p.StartTimeout = n.readyWait
	return p
}

// args never hold a secret. --inspect=false keeps ngrok from recording
// requests (their URLs carry the connector token) in its local inspector,
// which any local user could read; the JSON log on stdout names the agent
// API's real address, which is not 4040 when another agent holds that port.
func (n *ngrok) args() []string {
	a := []string{"http", "--url=" + n.host, "--inspect=false", "--log=stdout", "--log-format=json"}
	if n.config != "" {
		a = append(a, "--config", n.config)
	}
	return append(a, "127.0.0.1:"+strconv.Itoa(n.originPort))
}

func (n *ngrok) command() (*exec.Cmd, error) {
	cmd := exec.Command(n.bin, n.args()...)
	cmd.Env = childEnv(n.env, providerDrop(ProviderNgrok, true))
	return cmd, nil
}

func (n *ngrok) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.api, n.url = "", ""
}

// ngrokLog is the part of a JSON log line tunnelctl reads.
type ngrokLog struct {
	Msg  string `json:"msg"`
	Obj  string `json:"obj"`
	Addr string `json:"addr"`
	URL  string `json:"url"`
}

// ngrokField finds key=value (value quoted or bare) in a logfmt line, the
// format an agent writes when its config overrides --log-format.
var ngrokField = regexp.MustCompile(`\b(msg|obj|addr|url)=("(?:[^"\\]|\\.)*"|\S+)`)

func parseNgrokLine(l string) (ngrokLog, bool) {
	var e ngrokLog
	if json.Unmarshal([]byte(l), &e) == nil {
		return e, true
	}
	fields := map[string]string{}
	for _, m := range ngrokField.FindAllStringSubmatch(l, -1) {
		if v, err := strconv.Unquote(m[2]); err == nil {
			fields[m[1]] = v
		} else {
			fields[m[1]] = m[2]
		}
	}
	e = ngrokLog{Msg: fields["msg"], Obj: fields["obj"], Addr: fields["addr"], URL: fields["url"]}
	return e, e.Msg != ""
}

func (n *ngrok) line(l string) {
	e, ok := parseNgrokLine(l)
	if !ok {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case e.Msg == "starting web service" && e.Addr != "":
		n.api = e.Addr
	case e.Msg == "started tunnel" && strings.EqualFold(e.URL, "https://"+n.host):
		n.url = "https://" + n.host
	}
}

func (n *ngrok) run() (api, url string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.api, n.url
}

func (n *ngrok) state() (url, readyURL string) {
	api, url := n.run()
	if api == "" {
		return url, ""
	}
	return url, "http://" + api + "/api/tunnels"
}

// ngrokDefaultAPI is where the agent API listens unless web_addr moves it
// or another agent holds the port; the log says where it really is.
const ngrokDefaultAPI = "127.0.0.1:4040"

// probe asks ngrok's agent API for a tunnel from https://DOMAIN to this
// mcpd, at the address ngrok logged (else the default one: a tunnel to
// this mcpd's fresh port cannot be another agent's). With the web interface
// turned off (web_addr: false) the logged "started tunnel" is all there is.
func (n *ngrok) probe(ctx context.Context) error {
	api, url := n.run()
	if api == "" {
		err := n.listed(ctx, n.defaultAPI)
		if err == nil {
			n.mu.Lock()
			n.api = n.defaultAPI
			n.mu.Unlock()
		}
		if err == nil || url != "" {
			return nil
		}
		return fmt.Errorf("ngrok has not started a tunnel for https://%s yet (%v)", n.host, err)
	}
	return n.listed(ctx, api)
}

// listed wants the agent API at api to list https://DOMAIN -> this mcpd.
func (n *ngrok) listed(ctx context.Context, api string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+api+"/api/tunnels", nil)
	if err != nil {
		return err
	}
	resp, err := n.local.Do(req)
	if err != nil {
		return fmt.Errorf("ngrok's agent API: %w", err)
	}
	defer resp.Body.Close()
	var list struct {
		Tunnels []struct {
			PublicURL string `json:"public_url"`
			Config    struct {
				Addr string `json:"addr"`
			} `json:"config"`
		} `json:"tunnels"`
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ngrok's agent API at %s: HTTP %s", api, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&list); err != nil {
		return fmt.Errorf("ngrok's agent API at %s: %w", api, err)
	}
	origin := "127.0.0.1:" + strconv.Itoa(n.originPort)
	for _, t := range list.Tunnels {
		addr := strings.TrimPrefix(strings.TrimPrefix(t.Config.Addr, "http://"), "https://")
		if strings.EqualFold(t.PublicURL, "https://"+n.host) && addr == origin {
			n.mu.Lock()
			n.url = "https://" + n.host
			n.mu.Unlock()
			return nil
		}
	}
	return fmt.Errorf("ngrok's agent API at %s lists no tunnel from https://%s to %s", api, n.host, origin)
}

// ready adds the public https://DOMAIN/healthz: the domain must really
// reach this mcpd before its URL is announced.
func (n *ngrok) ready(ctx context.Context) error {
	if err := n.probe(ctx); err != nil {
		return err
	}
	return httpOK(ctx, n.public, "https://"+n.host+"/healthz", n.mcpToken)
}

func (n *ngrok) spec() Spec {
	return Spec{Name: "ngrok", Command: n.command, OnStart: n.reset, OnLine: n.line, Probe: n.probe, Ready: n.ready,
		Scrub: append([]string{n.mcpToken}, n.secrets...)}
}
