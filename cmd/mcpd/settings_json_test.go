package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSettingsShowRevealTokenAndJSON: scripts get the token and JSON.
func TestSettingsShowRevealTokenAndJSON(t *testing.T) {
	ta := newTestApp(t, nil)
	root := realDir(t)
	if code := ta.exec("settings", "set", "--root", root, "--bash", "off"); code != 0 {
		t.Fatalf("set: %d %s", code, ta.errOut)
	}
	if code := ta.exec("settings", "show", "--root", root); code != 0 || strings.Contains(ta.out.String(), "codexpro_token") {
		t.Fatalf("show: %d %s", code, ta.out)
	}
	p, _, _ := ta.store().Load(root)
	want, err := ta.store().Token(p)
	if err != nil || len(want) < 24 {
		t.Fatalf("token %q: %v", want, err)
	}
	if ta.exec("settings", "show", "--root", root); strings.Contains(ta.out.String(), want) {
		t.Fatal("plain show printed the token")
	}
	if code := ta.exec("settings", "show", "--root", root, "--reveal-token"); code != 0 || strings.TrimSpace(ta.out.String()) != want {
		t.Fatalf("--reveal-token: %d %q, want the token alone", code, ta.out.String())
	}
	ta.exec("settings", "show", "--root", root, "--json")
	var body struct {
		Exists  bool           `json:"exists"`
		Profile map[string]any `json:"profile"`
		Token   *string        `json:"token"`
	}
	if err := json.Unmarshal(ta.out.Bytes(), &body); err != nil || !body.Exists || body.Profile["bash"] != "off" || body.Token != nil {
		t.Fatalf("--json: %v %+v\n%s", err, body, ta.out)
	}
}

// TestSettingsOfAGoneWorkspace: list marks it, delete removes it.
func TestSettingsOfAGoneWorkspace(t *testing.T) {
	ta := newTestApp(t, nil)
	parent := realDir(t)
	root := filepath.Join(parent, "gone")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if code := ta.exec("settings", "set", "--root", root, "--mode", "pro"); code != 0 {
		t.Fatalf("set: %s", ta.errOut)
	}
	if err := os.Remove(root); err != nil {
		t.Fatal(err)
	}
	ta.exec("settings", "list")
	if !strings.Contains(ta.out.String(), "workspace gone") {
		t.Fatalf("list does not mark the stale profile:\n%s", ta.out)
	}
	ta.exec("settings", "list", "--json")
	var list []struct {
		Root  string `json:"root"`
		Stale bool   `json:"stale"`
	}
	if err := json.Unmarshal(ta.out.Bytes(), &list); err != nil || len(list) != 1 || !list[0].Stale || list[0].Root != root {
		t.Fatalf("list --json: %v %+v", err, list)
	}
	if code := ta.exec("settings", "delete", "--root", root, "--yes"); code != 0 {
		t.Fatalf("delete of a gone workspace: %d %s", code, ta.errOut)
	}
	if _, err := os.Stat(ta.store().Path(root)); !os.IsNotExist(err) {
		t.Fatalf("profile still there: %v", err)
	}
	if code := ta.exec("settings", "delete", "--root", filepath.Join(parent, "never"), "--yes"); code == 0 {
		t.Fatal("delete of an unknown missing directory succeeded")
	}
}

// TestSettingsSetReasksABadAnswer: the interactive set checks each answer
// at once and asks again, instead of failing after the last question.
func TestSettingsSetReasksABadAnswer(t *testing.T) {
	ta := newTestApp(t, nil)
	root := realDir(t)
	ta.tty = true
	ta.stdin = strings.NewReader("yolo\npro\n\nnope\noff\nfull\n")
	if code := ta.exec("settings", "set", "--root", root); code != 0 {
		t.Fatalf("set: %d %s\n%s", code, ta.errOut, ta.out)
	}
	if got := strings.Count(ta.out.String(), "Try again"); got != 2 {
		t.Fatalf("re-asked %d times, want 2:\n%s", got, ta.out)
	}
	if !strings.Contains(ta.out.String(), `"yolo"`) {
		t.Fatalf("the reason does not name the bad answer:\n%s", ta.out)
	}
	p, _, _ := ta.store().Load(root)
	if p.Mode != "pro" || p.Write != "handoff" || p.Bash != "off" || p.ToolMode != "full" {
		t.Fatalf("saved %+v", p)
	}
	ta.stdin = strings.NewReader("yolo\n")
	ta.in = nil
	if code := ta.exec("settings", "set", "--root", root); code == 0 {
		t.Fatal("input ended on a bad answer, yet set succeeded")
	}
}

// TestSettingsSetGivenDetection: a flag given with its zero value is saved
// (kong's parse path, not the zero value, says what was given), and a flag
// not given leaves the saved value alone.
func TestSettingsSetGivenDetection(t *testing.T) {
	ta := newTestApp(t, nil)
	root := realDir(t)
	ta.exec("settings", "set", "--root", root, "--tool-cards", "--port", "9000", "--bash", "off")
	if code := ta.exec("settings", "set", "--root", root, "--no-tool-cards", "--port", "0"); code != 0 {
		t.Fatalf("set: %s", ta.errOut)
	}
	p, _, _ := ta.store().Load(root)
	if p.ToolCards == nil || *p.ToolCards || p.Port != "0" || p.Bash != "off" {
		t.Fatalf("saved %+v", p)
	}
}
