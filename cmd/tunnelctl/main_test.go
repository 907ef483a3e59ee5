package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"codexpro.dev/tunnelctl"
	"codexpro.dev/tunnelctl/tunneltest"
)

var fakes tunneltest.Fakes

func TestMain(m *testing.M) { os.Exit(tunneltest.Main(m, &fakes)) }

func secretFile(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "token")
	os.WriteFile(p, []byte(body), 0o600)
	os.Chmod(p, mode)
	return p
}

const cfToken = "cf-tunnel-secret-0123456789abcdefghijklmnop"

func TestUpRefusals(t *testing.T) {
	t.Setenv("CODEXPRO_HOME", t.TempDir())
	t.Setenv("CLOUDFLARED_BIN", "")
	wide := secretFile(t, cfToken, 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no-auth with a tunnel", []string{"--no-auth"}, "--no-auth is refused"},
		{"tunnel token on argv", []string{"--cloudflare-token", cfToken}, "--cloudflare-token is refused"},
		{"0644 tunnel token file", []string{"--named", "--hostname", "h.example", "--cloudflare-token-file", wide}, "run chmod 600 " + wide},
		{"0644 connector token file", []string{"--token-file", wide}, "chmod 600 " + wide},
		{"http hostname", []string{"--named", "--hostname", "http://h.example", "--tunnel-name", "x"}, "--hostname"},
		{"missing explicit cloudflared", []string{"--cloudflared", "/nonexistent/cloudflared"}, "cloudflared was not found at /nonexistent/cloudflared"},
		{"contradicting install flags", []string{"--install-cloudflared", "--no-install-cloudflared"}, "contradict"},
		{"root is not a directory", []string{"--root", wide}, "not a directory"},
		{"bad mode, mcpd's own message", []string{"--mode", "yolo"}, `--mode="yolo": want one of agent, handoff, pro`},
		{"bad bash, mcpd's own message", []string{"--bash", "sometimes"}, `--bash="sometimes": want one of off, safe, full`},
		{"bash full through a tunnel", []string{"--bash", "full"}, "refusing to publish bash full through a tunnel"},
		{"workspace writes without a sandbox", []string{"--write", "workspace", "--sandbox", "off"}, "add --i-understand-public-shell"},
		{"quick and named", []string{"--quick", "--named"}, "--quick and --named contradict"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"up", "--mcpd", fakes.Mcpd, "--root", t.TempDir()}, tc.args...)
			code := run(context.Background(), args, &out, &errb, os.Getenv, nil)
			if code == 0 || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want failure mentioning %q", code, errb.String(), tc.want)
			}
			if strings.Contains(out.String()+errb.String(), cfToken) {
				t.Error("a refusal printed the token")
			}
			if strings.Contains(errb.String(), "did not become ready") {
				t.Errorf("refused only by starting mcpd: %q", errb.String())
			}
		})
	}
}

var readyRE = regexp.MustCompile(`CODEXPRO_READY https://[a-z0-9-]+\.trycloudflare\.com/mcp\?codexpro_token=([0-9a-f]{64})`)

// TestUpHeadlessThenStatus runs the whole CLI with the fakes: up prints the
// ready line, status shows it live without the token, Ctrl+C ends with 0.
func TestUpHeadlessThenStatus(t *testing.T) {
	t.Setenv("CODEXPRO_HOME", t.TempDir())
	t.Setenv("CODEXPRO_HTTP_TOKEN", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb tunneltest.Buffer
	done := make(chan int, 1)
	extra := t.TempDir()
	go func() {
		done <- run(ctx, []string{"up", "--headless", "--root", t.TempDir(), "--mcpd", fakes.Mcpd,
			"--cloudflared", fakes.Cloudflared, "--mode", "handoff", "--bash", "off", "--tool-mode", "minimal",
			"--allow-root", extra, "--no-bash", "--sandbox", "landlock"}, &out, &errb, os.Getenv, nil)
	}()
	deadline := time.Now().Add(20 * time.Second)
	var m []string
	for m = readyRE.FindStringSubmatch(out.String()); m == nil; m = readyRE.FindStringSubmatch(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no ready line\nstdout:%s\nstderr:%s", out.String(), errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	var status, serr bytes.Buffer
	if code := run(context.Background(), []string{"status"}, &status, &serr, os.Getenv, nil); code != 0 {
		t.Fatalf("status exit %d: %s", code, serr.String())
	}
	if !strings.Contains(status.String(), "State        running") || strings.Contains(status.String(), m[1]) {
		t.Errorf("status must be live and never show the token:\n%s", status.String())
	}
	if strings.Contains(errb.String(), m[1]) {
		t.Error("the log shows the token")
	}
	var js bytes.Buffer
	if code := run(context.Background(), []string{"status", "--json"}, &js, &serr, os.Getenv, nil); code != 0 {
		t.Fatalf("status --json exit %d: %s", code, serr.String())
	}
	var live []tunnelctl.Live
	if err := json.Unmarshal(js.Bytes(), &live); err != nil || len(live) != 1 || live[0].State != "running" || !live[0].McpdAlive ||
		!strings.Contains(live[0].ConnectorURL, "<redacted>") || strings.Contains(js.String(), m[1]) {
		t.Errorf("status --json = %s (%v); want one running tunnel, token redacted", js.String(), err)
	}
	states, err := tunnelctl.ReadRuntimes(tunnelctl.RuntimeDir(os.Getenv("CODEXPRO_HOME")))
	if err != nil || len(states) != 1 {
		t.Fatalf("runtime files: %v, %v", states, err)
	}
	argv, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", states[0].Mcpd.PID))
	got := strings.ReplaceAll(string(argv), "\x00", " ")
	for _, want := range []string{"--mode handoff", "--bash off", "--tool-mode minimal", "--allow-root " + extra, "--no-bash", "--sandbox landlock", "--transport http --host 127.0.0.1"} {
		if !strings.Contains(got, want) {
			t.Errorf("mcpd argv %q lacks pass-through %q", got, want)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("up after Ctrl+C exited %d: %s", code, errb.String())
	}
}

// TestNamedTokenNeverPrinted: even when cloudflared itself logs the tunnel
// token and the start fails, the token shows up nowhere in tunnelctl's output.
func TestNamedTokenNeverPrinted(t *testing.T) {
	t.Setenv("CODEXPRO_HOME", t.TempDir())
	t.Setenv("FAKE_CLOUDFLARED_LEAK", "1")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"up", "--headless", "--named", "--hostname", "unroutable.invalid",
		"--cloudflare-token-file", secretFile(t, cfToken+"\n", 0o600), "--ready-timeout", "1s",
		"--root", t.TempDir(), "--mcpd", fakes.Mcpd, "--cloudflared", fakes.Cloudflared}, &out, &errb, os.Getenv, nil)
	if code == 0 {
		t.Fatal("an unreachable named tunnel must fail")
	}
	text := out.String() + errb.String()
	if strings.Contains(text, cfToken) || !strings.Contains(text, "bad token [REDACTED_SECRET]") {
		t.Errorf("output must show the failure with the token redacted:\n%s", text)
	}
}

func TestCloudflaredBinEnvIsHonouredAndNamed(t *testing.T) {
	t.Setenv("CODEXPRO_HOME", t.TempDir())
	t.Setenv("CLOUDFLARED_BIN", "/nonexistent/from-env/cloudflared")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"up", "--root", t.TempDir(), "--mcpd", fakes.Mcpd}, &out, &errb, os.Getenv, nil)
	if code == 0 || !strings.Contains(errb.String(), "/nonexistent/from-env/cloudflared (from CLOUDFLARED_BIN)") {
		t.Fatalf("exit %d, stderr %q; want the CLOUDFLARED_BIN path refused by name", code, errb.String())
	}
}

// TestProviderBinEnvIsHonouredAndNamed: NGROK_BIN and TAILSCALE_BIN are
// used, and named when what they point at is missing.
func TestProviderBinEnvIsHonouredAndNamed(t *testing.T) {
	t.Setenv("CODEXPRO_HOME", t.TempDir())
	for _, tc := range [][]string{{"NGROK_BIN", "ngrok", "--hostname", "x.ngrok.app"}, {"TAILSCALE_BIN", "tailscale"}} {
		t.Setenv(tc[0], "/nonexistent/from-env/"+tc[1])
		var out, errb bytes.Buffer
		args := append([]string{"up", "--root", t.TempDir(), "--mcpd", fakes.Mcpd, "--provider", tc[1]}, tc[2:]...)
		code := run(context.Background(), args, &out, &errb, os.Getenv, nil)
		if want := "/nonexistent/from-env/" + tc[1] + " (from " + tc[0] + ")"; code == 0 || !strings.Contains(errb.String(), want) {
			t.Errorf("exit %d, stderr %q; want %q", code, errb.String(), want)
		}
	}
}

// TestInstallMirrorCannotBypassPinnedChecksum: --release-base-url only moves
// the download; an asset that is not the pinned release is refused and
// nothing lands in $CODEXPRO_HOME/bin.
func TestInstallMirrorCannotBypassPinnedChecksum(t *testing.T) {
	home := t.TempDir()
	t.Setenv("CODEXPRO_HOME", home)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := os.ReadFile(fakes.Cloudflared)
		w.Write(b)
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"install", "--release-base-url", srv.URL}, &out, &errb, os.Getenv, nil)
	if code == 0 || !strings.Contains(errb.String(), "checksum mismatch") {
		t.Fatalf("exit %d, stderr %q; want a checksum mismatch", code, errb.String())
	}
	if entries, _ := os.ReadDir(filepath.Join(home, "bin")); len(entries) != 0 {
		t.Errorf("files left in $CODEXPRO_HOME/bin: %v", entries)
	}
}
