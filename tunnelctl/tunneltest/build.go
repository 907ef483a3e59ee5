// Package tunneltest builds the fake cloudflared, ngrok, tailscale and mcpd
// programs that tunnelctl's tests run in place of the real ones.
package tunneltest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Fakes are paths of built fake programs.
type Fakes struct {
	Cloudflared, Ngrok, Tailscale, Mcpd string
}

// Build compiles the fakes into dir.
func Build(dir string) (Fakes, error) {
	f := Fakes{Cloudflared: filepath.Join(dir, "cloudflared"), Ngrok: filepath.Join(dir, "ngrok"),
		Tailscale: filepath.Join(dir, "tailscale"), Mcpd: filepath.Join(dir, "mcpd")}
	for out, pkg := range map[string]string{
		f.Cloudflared: "codexpro.dev/tunnelctl/tunneltest/fakecloudflared",
		f.Ngrok:       "codexpro.dev/tunnelctl/tunneltest/fakengrok",
		f.Tailscale:   "codexpro.dev/tunnelctl/tunneltest/faketailscale",
		f.Mcpd:        "codexpro.dev/tunnelctl/tunneltest/fakemcpd",
	} {
		if b, err := exec.Command("go", "build", "-ldflags=-s -w", "-o", out, pkg).CombinedOutput(); err != nil {
			return Fakes{}, fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
		}
	}
	return f, nil
}

// Main builds the fakes into a temporary directory, stores their paths in
// *f, runs the package's tests and removes the directory; use it from TestMain.
func Main(m *testing.M, f *Fakes) int {
	dir, err := os.MkdirTemp("", "tunnelctl-fakes-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if *f, err = Build(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// Buffer is an io.Writer a test can read while another goroutine writes.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
