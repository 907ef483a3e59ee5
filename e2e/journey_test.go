package e2e

import (
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestNewUserJourney drives mcpd in a terminal as a new user would: the
// first run names the next step and says when Ctrl-C stopped it; an
// interactive `mcpd settings set` re-asks a bad answer; then `mcpd` prints a
// connector URL with the saved profile's token, and that URL works.
func TestNewUserJourney(t *testing.T) {
	s := needSuite(t)
	home := t.TempDir()
	root, _ := filepath.EvalSymlinks(t.TempDir())
	env := []string{"PATH=" + filepath.Dir(s.mcpd) + ":/usr/bin:/bin", "HOME=" + home, "LANG=C.UTF-8", "TERM=xterm"}
	mcpd := func(args ...string) *exec.Cmd {
		cmd := exec.Command(s.mcpd, args...)
		cmd.Env, cmd.Dir = env, root
		return cmd
	}

	// What `make run` does: serve the workspace on loopback HTTP.
	first := startPTY(t, mcpd("--root", root, "--transport", "http", "--host", "127.0.0.1", "--port", "0"))
	first.expect(t, regexp.MustCompile(`Press Ctrl-C to stop mcpd`), 20*time.Second)
	for _, want := range []string{"Connector URL", "tunnelctl up", "stdio client"} {
		if !strings.Contains(first.output(), want) {
			t.Errorf("the first run does not say %q:\n%s", want, first.output())
		}
	}
	first.send(t, "\x03")
	first.expect(t, regexp.MustCompile(`mcpd stopped`), 10*time.Second)
	if code := first.wait(t, 10*time.Second); code != 0 {
		t.Errorf("Ctrl-C: exit %d, want 0", code)
	}

	// Save settings interactively, with one bad answer on the way.
	set := startPTY(t, mcpd("settings", "set", "--root", root))
	set.expect(t, regexp.MustCompile(`Mode: agent, handoff or pro \[agent\]: `), 10*time.Second)
	set.send(t, "yolo\r")
	set.expect(t, regexp.MustCompile(`Try again`), 10*time.Second)
	set.send(t, "agent\r")
	set.expect(t, regexp.MustCompile(`Write: .*\]: `), 10*time.Second)
	set.send(t, "\r")
	set.expect(t, regexp.MustCompile(`Bash: .*\]: `), 10*time.Second)
	set.send(t, "safe\r")
	set.expect(t, regexp.MustCompile(`Tool mode: .*\]: `), 10*time.Second)
	set.send(t, "full\r")
	set.expect(t, regexp.MustCompile(`Saved settings for`), 10*time.Second)
	if code := set.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("settings set: exit %d\n%s", code, set.output())
	}
	reveal := mcpd("settings", "show", "--root", root, "--reveal-token")
	tokenOut, err := reveal.Output()
	if err != nil {
		t.Fatalf("settings show --reveal-token: %v", err)
	}
	token := strings.TrimSpace(string(tokenOut))

	// Start again: the URL printed carries the profile's token and works.
	second := startPTY(t, mcpd("--root", root, "--port", "0"))
	m := second.expect(t, regexp.MustCompile(`(http://127\.0\.0\.1:\d+/mcp\?codexpro_token=([0-9a-f]+))\s`), 20*time.Second)
	if m[2] != token {
		t.Fatalf("the printed URL carries a token other than the profile's")
	}
	if !strings.Contains(second.output(), "saved profile's token") {
		t.Errorf("the URL is not said to carry the saved token:\n%s", second.output())
	}
	req, _ := http.NewRequest("POST", m[1], strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"journey","version":"1"}}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("call the printed URL: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"serverInfo"`) {
		t.Fatalf("the printed URL answers %d: %s", resp.StatusCode, body)
	}
	second.send(t, "\x03")
	if code := second.wait(t, 10*time.Second); code != 0 {
		t.Errorf("Ctrl-C: exit %d", code)
	}
}
