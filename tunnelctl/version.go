package tunnelctl

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// versionTimeout bounds `cloudflared --version`; a binary that hangs is not usable.
const versionTimeout = 15 * time.Second

// CheckVersion runs `bin --version` and returns its first output line.
// A candidate that cannot answer is not used, whatever its name says.
func CheckVersion(ctx context.Context, bin string) (string, error) {
	return VersionOf(ctx, bin, "--version")
}

// VersionOf runs `bin args…` (`ngrok version`, `tailscale version`) and
// returns its first output line.
func VersionOf(ctx context.Context, bin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out cappedBuffer
	out.max = 4096
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s failed: %w (output: %q)", bin, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	line, _, _ := strings.Cut(strings.TrimSpace(out.String()), "\n")
	return line, nil
}

// cappedBuffer keeps the first max bytes written and drops the rest.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
