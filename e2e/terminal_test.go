package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// runBin runs a built binary beside mcpd with the suite's environment and
// returns what it printed; every byte goes to the run log, so the leak scan
// covers the terminal commands too.
func runBin(t *testing.T, name string, stdin string, args ...string) (string, error) {
	t.Helper()
	s := needSuite(t)
	cmd := exec.Command(filepath.Join(filepath.Dir(s.mcpd), name), args...)
	cmd.Env = s.mcpdEnv()
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	s.log.add(name+" "+strings.Join(args, " "), out)
	return string(out), err
}

// TestInspectCommandMatchesTool: `mcpd inspect --json` prints exactly the
// structured result a client gets from inspect_workspace on the same tree.
func TestInspectCommandMatchesTool(t *testing.T) {
	s := needSuite(t)
	fx, err := newFixture(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tg := target{Transport: "stdio", Env: s.mcpdEnv(),
		Argv: []string{s.mcpd, "--root", fx.Root, "--transport", "stdio", "--tool-mode", "full"}}
	res := goClient{}.Run(t, tg, []call{callTool("inspect_workspace", map[string]any{})}).Replies[0].ok(t, callTool("inspect_workspace", nil))
	out, err := runBin(t, "mcpd", "", "inspect", "--root", fx.Root, "--json")
	if err != nil {
		t.Fatalf("mcpd inspect --json: %v\n%s", err, out)
	}
	var fromTool, fromCmd any
	if err := json.Unmarshal(res.StructuredContent, &fromTool); err != nil {
		t.Fatalf("tool result: %v", err)
	}
	if err := json.Unmarshal([]byte(out), &fromCmd); err != nil {
		t.Fatalf("mcpd inspect --json printed no JSON document: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(fromTool, fromCmd) {
		t.Fatalf("mcpd inspect --json differs from the tool's structured result:\ncommand: %s\ntool:    %s", out, res.StructuredContent)
	}
	text, err := runBin(t, "mcpd", "", "inspect", "--root", fx.Root)
	if err != nil || !strings.Contains(text, "# Workspace Map") || !strings.Contains(text, "README.md") {
		t.Fatalf("mcpd inspect: %v\n%s", err, text)
	}
}

// TestReviewCommandSinceLast: `mcpd review` shows an edit; `--since-last`
// right after shows nothing new, and shows the next edit once it is made.
func TestReviewCommandSinceLast(t *testing.T) {
	needSuite(t)
	fx, err := newFixture(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	edit := func(line string) {
		f, err := os.OpenFile(filepath.Join(fx.Root, "docs", "guide.md"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(line + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	edit("first-review-edit-71")
	out, err := runBin(t, "mcpd", "", "review", "--root", fx.Root)
	if err != nil || !strings.Contains(out, "+first-review-edit-71") {
		t.Fatalf("mcpd review after an edit does not show it (%v):\n%s", err, out)
	}
	for _, secret := range fx.secrets() {
		if strings.Contains(out, secret) {
			t.Fatalf("mcpd review printed a planted secret:\n%s", out)
		}
	}
	out, err = runBin(t, "mcpd", "", "review", "--root", fx.Root, "--since-last")
	if err != nil || !strings.Contains(out, "No changes since last shown review") || strings.Contains(out, "first-review-edit-71") {
		t.Fatalf("mcpd review --since-last right after a review shows more than 'no changes' (%v):\n%s", err, out)
	}
	edit("second-review-edit-72")
	out, err = runBin(t, "mcpd", "", "review", "--root", fx.Root, "--since-last")
	if err != nil || !strings.Contains(out, "+second-review-edit-72") {
		t.Fatalf("mcpd review --since-last does not show a new edit (%v):\n%s", err, out)
	}
}

// TestProBundleAndApply: pro-bundle writes the bundle export_pro_context
// writes, asked for the blocked and secret files by name, and none of their
// content leaves; pro-apply writes the plan, and handoff execute --dry-run
// shows that plan's hash and the exact agent command.
func TestProBundleAndApply(t *testing.T) {
	s := needSuite(t)
	fx, err := newFixture(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, err := runBin(t, "handoff", "", "pro-bundle", "--root", fx.Root,
		"--files", ".env,.ENV,id_ed25519,config.txt,env-link,key-link,out-file", "--glob", "**/*")
	if err != nil || !strings.Contains(out, "Wrote .ai-bridge/pro-context.md") {
		t.Fatalf("handoff pro-bundle: %v\n%s", err, out)
	}
	bundle, err := os.ReadFile(filepath.Join(fx.Root, ".ai-bridge", "pro-context.md"))
	if err != nil {
		t.Fatal(err)
	}
	s.log.add("handoff pro-bundle's pro-context.md", bundle)
	for what, secret := range fx.secrets() {
		if strings.Contains(string(bundle), secret) {
			t.Errorf("the Pro bundle holds %s", what)
		}
	}
	for _, name := range []string{".env", "id_ed25519", "out-file"} {
		if strings.Contains(string(bundle), "### "+name+"\n") {
			t.Errorf("the Pro bundle shows the content of %s", name)
		}
	}
	if !strings.Contains(string(bundle), readmeCanary) || !strings.Contains(string(bundle), redacted) {
		t.Errorf("the Pro bundle lacks the README's canary or the redacted config.txt line:\n%s", bundle)
	}

	plan := filepath.Join(t.TempDir(), "answer.md")
	if err := os.WriteFile(plan, []byte("1. Add a greeting to README.md\n2. Run the tests\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = runBin(t, "handoff", "", "pro-apply", "--root", fx.Root, "--file", plan, "--title", "Pro answer")
	hash := regexp.MustCompile(`Plan hash: ([0-9a-f]{64})`).FindStringSubmatch(out)
	if err != nil || hash == nil {
		t.Fatalf("handoff pro-apply printed no plan hash (%v):\n%s", err, out)
	}
	written, err := os.ReadFile(filepath.Join(fx.Root, ".ai-bridge", "current-plan.md"))
	if err != nil || !strings.Contains(string(written), "# Pro answer") || !strings.Contains(string(written), "Add a greeting") {
		t.Fatalf("current-plan.md after pro-apply (%v):\n%s", err, written)
	}
	out, err = runBin(t, "handoff", "", "execute", "--root", fx.Root, "--agent", "codex", "--dry-run")
	if err != nil || !strings.Contains(out, hash[1][:12]) || !strings.Contains(out, "codex") || !strings.Contains(out, "No command was executed") {
		t.Fatalf("handoff execute --dry-run after pro-apply does not show plan %s… and the command (%v):\n%s", hash[1][:12], err, out)
	}

	for _, bad := range [][]string{{"pro-apply", "--root", fx.Root}, {"pro-apply", "--root", fx.Root, "--stdin"}} {
		out, err := runBin(t, "handoff", "", bad...)
		if err == nil || !strings.Contains(out, "plan") {
			t.Errorf("handoff %v: want a refusal naming the plan, got (%v):\n%s", bad, err, out)
		}
	}
}
