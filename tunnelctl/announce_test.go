package tunnelctl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAnnounceInteractive(t *testing.T) {
	bin := t.TempDir()
	clip := filepath.Join(t.TempDir(), "clipboard")
	writeScript(t, filepath.Join(bin, "xclip"), "/bin/cat > "+clip)
	t.Setenv("PATH", bin)
	env := map[string]string{"DISPLAY": ":0"}
	copyFn := Clipboard(func(k string) string { return env[k] })
	const url = "https://a-b.trycloudflare.com/mcp?codexpro_token=0123456789abcdef0123456789abcdef"
	cases := []struct {
		name     string
		copyURL  bool
		headless bool
		want     []string
		clip     bool
	}{
		{name: "copies with xclip and shows app fields", copyURL: true, want: []string{"copied with xclip", "Server URL      " + url, "Authentication  No Authentication"}, clip: true},
		{name: "--no-copy-url leaves the clipboard alone", want: []string{"not copied (--no-copy-url)", "Server URL      " + url}},
		{name: "headless prints one machine line", headless: true, want: []string{"CODEXPRO_READY " + url + "\n"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(clip)
			var out bytes.Buffer
			a := &announcer{out: &out, headless: tc.headless, copyURL: tc.copyURL, copy: copyFn, root: "/repo", kind: "quick"}
			a.announce(url)
			a.announce(url)
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if n := strings.Count(out.String(), url); n != 1 {
				t.Errorf("URL printed %d times, want once", n)
			}
			got, err := os.ReadFile(clip)
			if tc.clip != (err == nil) || (tc.clip && string(got) != url) {
				t.Errorf("clipboard = %q, %v; want copied=%v", got, err, tc.clip)
			}
		})
	}
}

func TestAnnounceNewURLAfterRestart(t *testing.T) {
	var out bytes.Buffer
	a := &announcer{out: &out, copy: func(string) (string, error) { return "x", nil }, kind: "quick"}
	a.announce("https://one.trycloudflare.com/mcp?codexpro_token=t")
	a.announce("https://two.trycloudflare.com/mcp?codexpro_token=t")
	if !strings.Contains(out.String(), "NEW URL") || !strings.Contains(out.String(), "two.trycloudflare.com") {
		t.Errorf("a changed URL must be announced as new:\n%s", out.String())
	}
}

func TestClipboardMissingTool(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Clipboard(func(string) string { return ":0" })("x")
	if err == nil || !strings.Contains(err.Error(), "copy the Server URL below by hand") {
		t.Errorf("err = %v", err)
	}
}

// TestAnnounceOAuth: with --auth oauth the app fields say OAuth, and
// mcpd's pairing-code lines (only those) reach the user's terminal.
func TestAnnounceOAuth(t *testing.T) {
	var out bytes.Buffer
	a := &announcer{out: &out, root: "/repo", kind: "quick", modes: Exposure{Auth: "oauth"}, copy: Clipboard(func(string) string { return "" })}
	a.announce("https://a-b.trycloudflare.com/mcp")
	if !strings.Contains(out.String(), "Authentication  OAuth") {
		t.Fatalf("ready block:\n%s", out.String())
	}
	out.Reset()
	show := pairingTo(&out, false)
	show(`Pairing code for "ChatGPT": K7MQ-3XPA (valid 5 minutes, once)`)
	show(`{"level":"info","message":"mcpd starting"}`)
	if got := out.String(); !strings.Contains(got, "K7MQ-3XPA") || strings.Contains(got, "mcpd starting") {
		t.Fatalf("forwarded lines:\n%s", got)
	}
}
