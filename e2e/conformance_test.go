package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// notApplicable are the official conformance suite's server scenarios that
// test what mcpd does not offer: a capability it does not advertise, or
// the suite's own test tools (test_simple_text, test_image_content, …),
// which only its reference "everything" server has. needs names the
// capability, or "suite tools"; the test checks that mcpd really lacks it.
// Every other scenario the suite lists must pass.
var notApplicable = map[string]string{
	"logging-set-level":             "logging",
	"completion-complete":           "completions",
	"tools-call-simple-text":        "suite tools",
	"tools-call-image":              "suite tools",
	"tools-call-audio":              "suite tools",
	"tools-call-embedded-resource":  "suite tools",
	"tools-call-mixed-content":      "suite tools",
	"tools-call-with-logging":       "suite tools",
	"tools-call-error":              "suite tools",
	"tools-call-with-progress":      "suite tools",
	"tools-call-sampling":           "suite tools",
	"tools-call-elicitation":        "suite tools",
	"json-schema-2020-12":           "suite tools",
	"elicitation-sep1034-defaults":  "suite tools",
	"elicitation-sep1330-enums":     "suite tools",
	"resources-list":                "resources",
	"resources-read-text":           "resources",
	"resources-read-binary":         "resources",
	"resources-templates-read":      "resources",
	"resources-subscribe":           "resources",
	"resources-unsubscribe":         "resources",
	"prompts-list":                  "prompts",
	"prompts-get-simple":            "prompts",
	"prompts-get-with-args":         "prompts",
	"prompts-get-embedded-resource": "prompts",
	"prompts-get-with-image":        "prompts",
}

// TestConformanceSuite runs the official MCP conformance suite
// (@modelcontextprotocol/conformance, pinned in clients/package.json, on
// the pinned Node 22 runtime it needs) against a real mcpd over HTTP. A
// scenario that applies and fails, a not-applicable entry the suite no
// longer has, one that now passes, or one whose reason mcpd no longer
// bears out, fails the test.
func TestConformanceSuite(t *testing.T) {
	s := needSuite(t)
	node := filepath.Join(s.clients, "node_modules", ".bin", "node")
	suite := filepath.Join(s.clients, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js")
	for _, p := range []string{node, suite} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s is not installed: run `make deps` (npm ci in %s)", p, s.clients)
		}
	}
	listed, _, err := runNode(s, "conformance list", nil, node, suite, "list")
	if err != nil {
		t.Fatalf("conformance list: %v", err)
	}
	scenarios := serverScenarios(string(listed))
	if len(scenarios) < 10 {
		t.Fatalf("the suite lists only %d server scenarios:\n%s", len(scenarios), listed)
	}
	srv := launchHTTP(t, "conformance", "", "--no-auth")
	checkNotApplicable(t, srv, scenarios)

	out := t.TempDir()
	// The exit status only says whether anything failed; the per-scenario
	// checks below say what.
	_, _, _ = runNode(s, "conformance server", nil, node, suite, "server", "--url", srv.URL, "--suite", "all", "-o", out)
	passed := 0
	for _, name := range scenarios {
		failures, ran := scenarioFailures(t, out, name)
		_, na := notApplicable[name]
		switch {
		case !ran:
			t.Errorf("scenario %s: no results", name)
		case na && len(failures) == 0:
			t.Errorf("scenario %s passes now: take it off the not-applicable list", name)
		case !na && len(failures) > 0:
			t.Errorf("scenario %s failed: %s", name, strings.Join(failures, "; "))
		case !na:
			passed++
		}
	}
	t.Logf("figure: %d conformance scenarios pass, %d not applicable (of %d)", passed, len(notApplicable), len(scenarios))
}

var scenarioLine = regexp.MustCompile(`^\s+- (\S+) \[`)

// serverScenarios reads the server scenario names from `conformance list`.
func serverScenarios(list string) []string {
	var names []string
	inServer := false
	for _, line := range strings.Split(list, "\n") {
		switch {
		case strings.HasPrefix(line, "Server scenarios"):
			inServer = true
		case strings.HasPrefix(line, "Client scenarios"):
			inServer = false
		case inServer:
			if m := scenarioLine.FindStringSubmatch(line); m != nil {
				names = append(names, m[1])
			}
		}
	}
	return names
}

// checkNotApplicable holds each entry to its reason: the suite still has
// the scenario, and mcpd advertises neither the capability nor a tool of
// the suite's.
func checkNotApplicable(t *testing.T, srv *httpServer, scenarios []string) {
	t.Helper()
	for name := range notApplicable {
		if !slices.Contains(scenarios, name) {
			t.Errorf("not-applicable scenario %s is no longer in the suite: remove it", name)
		}
	}
	resp := rawDo(t, srv, rawCase{name: "initialize", body: initializeBody}, "")
	var init struct {
		Result struct {
			Capabilities map[string]json.RawMessage `json:"capabilities"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &init); err != nil || init.Result.Capabilities == nil {
		t.Fatalf("initialize: %v %.300s", err, resp.Body)
	}
	session := resp.Header.Get("Mcp-Session-Id")
	list := rawDo(t, srv, rawCase{name: "tools/list", body: `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`, session: true}, session)
	for name, needs := range notApplicable {
		if needs == "suite tools" {
			if strings.Contains(list.Body, `"name":"test_`) {
				t.Errorf("%s is not applicable for want of the suite's test_* tools, but mcpd lists one", name)
			}
			continue
		}
		if _, ok := init.Result.Capabilities[needs]; ok {
			t.Errorf("%s is not applicable for want of the %s capability, but mcpd advertises it", name, needs)
		}
	}
}

// scenarioFailures reads a scenario's checks.json: the failed checks, and
// whether it ran at all.
func scenarioFailures(t *testing.T, out, name string) ([]string, bool) {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(out, "server-"+name+"-2*"))
	if len(dirs) == 0 {
		return nil, false
	}
	raw, err := os.ReadFile(filepath.Join(dirs[len(dirs)-1], "checks.json"))
	if err != nil {
		return nil, false
	}
	var checks []struct {
		Name, Status, ErrorMessage string
	}
	if err := json.Unmarshal(raw, &checks); err != nil {
		t.Fatalf("%s checks.json: %v", name, err)
	}
	var failed []string
	for _, c := range checks {
		if c.Status == "FAILURE" {
			failed = append(failed, c.Name+": "+c.ErrorMessage)
		}
	}
	return failed, true
}
