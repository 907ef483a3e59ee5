package tunnelctl

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
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
	pairing    func(line string) // shows mcpd's OAuth pairing codes to the user
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
	return Spec{Name: "mcpd", Command: m.command, Probe: m.probe, Scrub: []string{m.token}, OnLine: m.pairing}
}

// pairingPrefix starts the line mcpd --auth oauth prints when a client asks
// for approval; the person at this terminal must see it to type the code.
const pairingPrefix = "Pairing code for "

// pairingTo passes mcpd's pairing-code lines on to the user's terminal (to
// stderr with --headless, whose stdout belongs to scripts).
func pairingTo(stdout io.Writer, headless bool) func(string) {
	out := stdout
	if headless {
		out = os.Stderr
	}
	return func(line string) {
		if strings.HasPrefix(line, pairingPrefix) {
			fmt.Fprintln(out, line)
		}
	}
}
