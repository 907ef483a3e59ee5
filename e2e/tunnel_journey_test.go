//go:build linux

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// namedHost is the public host the fake cloudflared serves a named tunnel on.
const namedHost = "named.example.test"

// TestTunnelJourney drives tunnelctl as a new user would, on a terminal:
// setup with one bad answer saves the expected profile; up prints a ready
// block with the modes and a stable URL; a second up for the workspace is
// refused; q stops it; up after the restart prints the same URL; and
// --bash full through a tunnel is refused without the override. The fake
// cloudflared stands in for Cloudflare, and a local HTTPS proxy with a test
// CA for the named host's public side, so tunnelctl's own readiness check
// of https://HOST/healthz runs unchanged.
func TestTunnelJourney(t *testing.T) {
	s := needSuite(t)
	bin := filepath.Dir(s.mcpd)
	tunnelctl := filepath.Join(bin, "tunnelctl")
	if _, err := os.Stat(tunnelctl); err != nil {
		t.Skipf("no tunnelctl in %s (make build)", bin)
	}
	dir := t.TempDir()
	cloudflared := buildFakeCloudflared(t, dir)
	home := filepath.Join(dir, "home")
	ws := filepath.Join(dir, "project")
	edges := filepath.Join(dir, "edges")
	for _, d := range []string{home, ws, edges} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	ws, _ = filepath.EvalSymlinks(ws)
	proxy, caFile := publicSide(t, dir, edges, namedHost)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "CODEXPRO_HOME=" + filepath.Join(home, ".codexpro"),
		"LANG=C.UTF-8", "TERM=dumb", "FAKE_CLOUDFLARED_EDGES=" + edges, "HTTPS_PROXY=" + proxy, "SSL_CERT_FILE=" + caFile}

	// 1. setup, with one bad answer.
	setup := newScreen(t, ws, env, tunnelctl, "setup")
	const refused = "\x00" // a line the program prints, not a question
	for _, step := range []struct{ prompt, answer string }{
		{"Workspace root", ""}, {"Mode:", "yolo"}, {`--mode="yolo": want one of agent, handoff, pro`, refused}, {"Try again.", refused},
		{"Mode:", "handoff"}, {"Write:", ""}, {"Bash:", "safe"},
		{"Tunnel:", "named"}, {"Public hostname", "https://" + namedHost + "/mcp"}, {"Cloudflare tunnel name", "codexpro"},
	} {
		setup.expect(t, step.prompt)
		if step.answer != refused {
			setup.p.send(t, step.answer+"\r")
		}
	}
	setup.expect(t, "Next steps:")
	if code := setup.p.wait(t, time.Minute); code != 0 {
		t.Fatalf("setup exited %d:\n%s", code, setup.text())
	}
	profile := readProfile(t, filepath.Join(home, ".codexpro", "profiles"))
	for k, want := range map[string]string{"root": ws, "mode": "handoff", "write": "handoff", "bash": "safe",
		"tunnel": "cloudflare-named", "hostname": namedHost, "tunnelName": "codexpro"} {
		if profile[k] != want {
			t.Errorf("profile %s = %v, want %q (profile %v)", k, profile[k], want, profile)
		}
	}

	// 2. up: ready block with the modes and a stable URL.
	first := newScreen(t, ws, env, tunnelctl, "up", "--cloudflared", cloudflared, "--no-copy-url")
	url1 := first.readyURL(t)
	block := first.text()
	for _, want := range []string{"Stable URL      yes", "Mode            handoff", "Write           handoff", "Bash            safe",
		"Sandbox         ", "Roots           " + ws, "Keys: c copy the URL"} {
		if !strings.Contains(block, want) {
			t.Errorf("the ready block lacks %q:\n%s", want, block)
		}
	}

	// 3. a second up for the same workspace is refused, naming the first.
	out, err := command(ws, env, tunnelctl, "up", "--cloudflared", cloudflared).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "a tunnel already runs for this workspace (pid") ||
		!strings.Contains(string(out), "tunnelctl down --root "+ws+" first") {
		t.Errorf("second up: %v\n%s", err, out)
	}

	// 4. q stops it; up again prints the same URL.
	first.p.send(t, "q")
	if code := first.p.wait(t, time.Minute); code != 0 {
		t.Fatalf("up after q exited %d:\n%s", code, first.text())
	}
	second := newScreen(t, ws, env, tunnelctl, "up", "--cloudflared", cloudflared, "--no-copy-url")
	if url2 := second.readyURL(t); url2 != url1 {
		t.Errorf("the URL changed across a restart with a saved profile:\n%s\n%s", url1, url2)
	}
	second.p.send(t, "q")
	second.p.wait(t, time.Minute)

	// 5. bash full through a tunnel needs the override.
	out, err = command(ws, env, tunnelctl, "up", "--cloudflared", cloudflared, "--bash", "full").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "refusing to publish bash full through a tunnel") ||
		!strings.Contains(string(out), "--i-understand-public-shell") {
		t.Errorf("--bash full: %v\n%s", err, out)
	}
}

// buildFakeCloudflared builds tunnelctl's fake cloudflared into dir.
func buildFakeCloudflared(t *testing.T, dir string) string { return buildFake(t, dir, "cloudflared") }

// buildFake builds tunnelctl's fake NAME (cloudflared, ngrok, tailscale) into dir.
func buildFake(t *testing.T, dir, name string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", out, "codexpro.dev/tunnelctl/tunneltest/fake"+name)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the fake %s: %v\n%s", name, err, b)
	}
	return out
}

// publicSide stands in for the providers' edges: an HTTPS server for hosts
// (its certificate is the CA written to the returned file) forwarding to
// the address the fake provider published in edges for the host, reached
// through an HTTP CONNECT proxy (any of Funnel's ports), whose URL is
// returned.
func publicSide(t *testing.T, dir, edges string, hosts ...string) (proxyURL, caFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: hosts[0]}, DNSNames: hosts,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	caFile = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	edge := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		host, _, err := net.SplitHostPort(r.In.Host)
		if err != nil {
			host = r.In.Host
		}
		addr, _ := os.ReadFile(filepath.Join(edges, host))
		r.SetURL(&url.URL{Scheme: "http", Host: string(addr)})
		r.Out.Host = r.In.Host
	}}
	public := httptest.NewUnstartedServer(edge)
	public.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	public.StartTLS()
	t.Cleanup(public.Close)
	allowed := map[string]bool{}
	for _, h := range hosts {
		for _, port := range []string{"443", "8443", "10000"} {
			allowed[net.JoinHostPort(h, port)] = true
		}
	}
	connect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect || !allowed[r.Host] {
			http.Error(w, "only CONNECT to "+strings.Join(hosts, ", "), http.StatusForbidden)
			return
		}
		up, err := net.Dial("tcp", public.Listener.Addr().String())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			up.Close()
			return
		}
		rw.WriteString("HTTP/1.1 200 Connection established\r\n\r\n")
		rw.Flush()
		go func() { io.Copy(up, rw); up.Close() }()
		io.Copy(conn, up)
		conn.Close()
	}))
	t.Cleanup(connect.Close)
	return connect.URL, caFile
}

func command(dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	return cmd
}

// screen follows a ptyProc's output from a position on, so a prompt that
// is asked twice is waited for twice.
type screen struct {
	p   *ptyProc
	pos int
}

func newScreen(t *testing.T, dir string, env []string, name string, args ...string) *screen {
	return &screen{p: startPTY(t, command(dir, env, name, args...))}
}

// expect waits for text after what earlier expects consumed.
func (s *screen) expect(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		out := s.p.output()
		if i := strings.Index(out[s.pos:], text); i >= 0 {
			s.pos += i + len(text)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q after 90s; the terminal shows:\n%s", text, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *screen) text() string { return strings.ReplaceAll(s.p.output(), "\r\n", "\n") }

var serverURL = regexp.MustCompile(`Server URL\s+(https://\S+/mcp\?codexpro_token=[0-9a-f]+)`)

// readyURL waits for the ready block and returns its Server URL.
func (s *screen) readyURL(t *testing.T) string {
	t.Helper()
	s.expect(t, "Keys: ")
	m := serverURL.FindStringSubmatch(s.text())
	if m == nil {
		t.Fatalf("no Server URL in the ready block:\n%s", s.text())
	}
	return m[1]
}

// readProfile returns the one profile saved under dir.
func readProfile(t *testing.T, dir string) map[string]any {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(paths) != 1 {
		t.Fatalf("want one profile in %s, found %v", dir, paths)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", paths[0], err)
	}
	return m
}
