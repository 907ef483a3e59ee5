package tunnelctl

import (
	"context"
	"net/http"
	"os/exec"
	"strconv"
)

// mcpd runs the MCP server on a fixed loopback port, so cloudflared's
// origin stays valid across mcpd restarts.
type mcpd struct {
	bin        string
	port       int
	token      string
	args       []string // pass-through flags (--root, --mode, …)
	publicHost string   // named tunnel host mcpd must accept
	env        []string
	local      *http.Client
}

func (m *mcpd) command() (*exec.Cmd, error) {
	a := append([]string{"--transport", "http", "--host", "127.0.0.1", "--port", strconv.Itoa(m.port)}, m.args...)
	cmd := exec.Command(m.bin, a...)
	extra := []string{"CODEXPRO_HTTP_TOKEN=" + m.token}
	if m.publicHost != "" {
		extra = append(extra, "CODEXPRO_PUBLIC_HOSTNAME="+m.publicHost)
	}
	cmd.Env = childEnv(m.env, mcpdDrop, extra...)
	return cmd, nil
}

func (m *mcpd) localBase() string { return "http://127.0.0.1:" + strconv.Itoa(m.port) }

func (m *mcpd) probe(ctx context.Context) error {
	return httpOK(ctx, m.local, m.localBase()+"/healthz", m.token)
}

func (m *mcpd) spec() Spec {
	return Spec{Name: "mcpd", Command: m.command, Probe: m.probe, Scrub: []string{m.token}}
}
