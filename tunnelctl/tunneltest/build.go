// Package tunneltest builds the fake cloudflared and fake mcpd programs that
// tunnelctl's tests run in place of the real ones.
package tunneltest

import (
	"fmt"
	"os/exec"
	"path/filepath"
)

// Fakes are paths of built fake programs.
type Fakes struct {
	Cloudflared, Mcpd string
}

// Build compiles both fakes into dir.
func Build(dir string) (Fakes, error) {
	f := Fakes{Cloudflared: filepath.Join(dir, "cloudflared"), Mcpd: filepath.Join(dir, "mcpd")}
	for out, pkg := range map[string]string{
		f.Cloudflared: "codexpro.dev/tunnelctl/tunneltest/fakecloudflared",
		f.Mcpd:        "codexpro.dev/tunnelctl/tunneltest/fakemcpd",
	} {
		if b, err := exec.Command("go", "build", "-ldflags=-s -w", "-o", out, pkg).CombinedOutput(); err != nil {
			return Fakes{}, fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
		}
	}
	return f, nil
}
