package e2e

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestNonLoopbackBindRefused: mcpd must refuse to start when it would be
// reachable from the network without a token, and say why.
func TestNonLoopbackBindRefused(t *testing.T) {
	s := needSuite(t)
	cases := []struct {
		name    string
		args    []string
		mention []string // the message must name these (case-insensitive)
	}{
		{"0.0.0.0 without a token", []string{"--host", "0.0.0.0"}, []string{"0.0.0.0", "token"}},
		{"0.0.0.0 with --no-auth", []string{"--host", "0.0.0.0", "--no-auth"}, []string{"0.0.0.0", "no-auth"}},
		{"all IPv6 addresses without a token", []string{"--host", "::"}, []string{"::", "token"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, s.mcpd, s.mcpdArgs("http", append(c.args, "--port", "0")...)...)
			cmd.Env = s.mcpdEnv() // no CODEXPRO_HTTP_TOKEN
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			s.log.add("mcpd refused bind "+c.name, out.Bytes())
			msg := out.String()
			if ctx.Err() != nil {
				t.Fatalf("mcpd %v kept running instead of refusing to start; output:\n%s", c.args, msg)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("mcpd %v: %v; want a non-zero exit; output:\n%s", c.args, err, msg)
			}
			if strings.Contains(msg, listenPrefix) {
				t.Errorf("mcpd %v announced a listener before refusing:\n%s", c.args, msg)
			}
			for _, m := range c.mention {
				if !strings.Contains(strings.ToLower(msg), strings.ToLower(m)) {
					t.Errorf("mcpd %v: the refusal does not mention %q, so the user cannot tell why:\n%s", c.args, m, msg)
				}
			}
		})
	}
}
