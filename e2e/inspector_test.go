package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// inspectorClient is the MCP Inspector CLI (@modelcontextprotocol/inspector
// v2): one process per request, legacy protocol, JSON output. Each call is
// therefore its own MCP session: a sequence that depends on session state
// (open_workspace then read, write then show_changes) does not carry over.
type inspectorClient struct{}

func (inspectorClient) Name() string { return "inspector" }

func (c inspectorClient) Run(t *testing.T, tg target, calls []call) session {
	t.Helper()
	s := needSuite(t)
	nodeModules(t, s)
	// The inspector lingers about 4 s after each HTTP request (node's
	// keep-alive socket), so the requests run side by side.
	sess := session{Replies: make([]reply, len(calls))}
	dir := t.TempDir()
	var wg sync.WaitGroup
	sem := make(chan struct{}, inspectorParallel)
	for i, cl := range calls {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			sess.Replies[i] = c.one(s, tg, cl, filepath.Join(dir, fmt.Sprintf("mcpd-stderr-%d.log", i)))
		})
	}
	wg.Wait()
	return sess
}

const inspectorParallel = 4

// one runs a single request. The inspector does not pass the server's
// stderr on, so over stdio mcpd runs under `sh -c exec` with its stderr
// appended to a file that then goes to the run log.
func (inspectorClient) one(s *suiteState, tg target, cl call, stderrFile string) reply {
	bin := filepath.Join(s.clients, "node_modules", ".bin", "mcp-inspector")
	argv := []string{bin, "--cli"}
	switch tg.Transport {
	case "http":
		argv = append(argv, tg.URL, "--transport", "http",
			"--header", "Authorization: Bearer "+tg.Token, "--stored-auth-only")
	case "stdio":
		argv = append(argv, envFlags(tg.Env)...)
	}
	argv = append(argv, "--method")
	if cl.Tool == "" {
		argv = append(argv, "tools/list")
	} else {
		args, err := json.Marshal(cl.Args)
		if err != nil {
			return reply{Err: err.Error()}
		}
		argv = append(argv, "tools/call", "--tool-name", cl.Tool, "--tool-args-json", string(args))
	}
	argv = append(argv, "-q", "--format", "json")
	if tg.Transport == "stdio" {
		script := `exec "$0" "$@" 2>>` + shellQuote(stderrFile)
		argv = append(append(argv, "--", "sh", "-c", script), tg.Argv...)
	}
	stdout, stderr, runErr := runNode(s, "inspector "+tg.Transport, nil, argv...)
	if tg.Transport == "stdio" {
		if data, err := os.ReadFile(stderrFile); err == nil {
			s.log.add("mcpd stdio (inspector) stderr", data)
		}
	}
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	// Results come on stdout; failures as a JSON error on stderr.
	doc := stdout
	if len(bytes.TrimSpace(doc)) == 0 {
		doc = stderr
	}
	if err := json.Unmarshal(lastJSONLine(doc), &out); err != nil {
		return reply{Err: fmt.Sprintf("inspector output is not JSON (%v, exit %v): %s\nstderr:\n%s", err, runErr, stdout, stderr)}
	}
	// A tool error still prints its result (with isError) but exits 5;
	// the result is what the user sees, so it counts.
	switch {
	case out.Error != nil:
		return reply{Err: fmt.Sprintf("%s: %s (exit %v)", out.Error.Code, out.Error.Message, runErr)}
	case len(out.Result) == 0:
		return reply{Err: fmt.Sprintf("inspector printed no result (exit %v): %s\nstderr:\n%s", runErr, stdout, stderr)}
	}
	return reply{Raw: out.Result}
}

// lastJSONLine returns the JSON document, skipping any banner lines before it.
func lastJSONLine(out []byte) []byte {
	if json.Valid(out) {
		return out
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "{") {
			return []byte(strings.Join(lines[i:], "\n"))
		}
	}
	return out
}

// envFlags passes mcpd's environment through the inspector's -e flags.
func envFlags(env []string) []string {
	var flags []string
	for _, kv := range env {
		flags = append(flags, "-e", kv)
	}
	return flags
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
