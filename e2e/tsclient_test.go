package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// tsClient is the official TypeScript SDK client (@modelcontextprotocol/sdk),
// driven through clients/ts-client.mjs. It speaks the legacy protocol:
// initialize, then Mcp-Session-Id on every request.
type tsClient struct{}

func (tsClient) Name() string { return "ts-sdk" }

type tsJob struct {
	Transport string            `json:"transport"`
	URL       string            `json:"url,omitempty"`
	Token     string            `json:"token,omitempty"`
	Command   string            `json:"command,omitempty"`
	Args      []string          `json:"args,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
	Calls     []tsCall          `json:"calls"`
}

type tsCall struct {
	Method    string         `json:"method"`
	Name      string         `json:"name,omitempty"`
	Arguments map[string]any `json:"arguments,omitempty"`
}

type tsOutput struct {
	ProtocolVersion string `json:"protocolVersion"`
	SessionID       string `json:"sessionId"`
	Error           string `json:"error"`
	Results         []struct {
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
	} `json:"results"`
}

func (tsClient) Run(t *testing.T, tg target, calls []call) session {
	t.Helper()
	s := needSuite(t)
	nodeModules(t, s)
	job := tsJob{Transport: tg.Transport, URL: tg.URL, Token: tg.Token}
	if tg.Transport == "stdio" {
		job.Command, job.Args, job.Env = tg.Argv[0], tg.Argv[1:], envMap(tg.Env)
	}
	for _, c := range calls {
		if c.Tool == "" {
			job.Calls = append(job.Calls, tsCall{Method: "tools/list"})
		} else {
			job.Calls = append(job.Calls, tsCall{Method: "tools/call", Name: c.Tool, Arguments: c.Args})
		}
	}
	// The job (with the token) goes on stdin, never on a command line.
	in, err := json.Marshal(job)
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, runErr := runNode(s, "ts-sdk "+tg.Transport, in, "node", "ts-client.mjs")
	var out tsOutput
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatalf("ts-sdk %s: output is not JSON (%v, exit %v): %s\nstderr:\n%s", tg.Transport, err, runErr, stdout, stderr)
	}
	if out.Error != "" {
		t.Fatalf("ts-sdk %s: %s", tg.Transport, out.Error)
	}
	sess := session{Protocol: out.ProtocolVersion, SessionID: out.SessionID}
	for _, r := range out.Results {
		sess.Replies = append(sess.Replies, reply{Raw: r.Result, Err: r.Error})
	}
	if len(sess.Replies) != len(calls) {
		t.Fatalf("ts-sdk %s: %d replies for %d calls", tg.Transport, len(sess.Replies), len(calls))
	}
	return sess
}

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
