package tunnelctl

import (
	"fmt"
	"os"
	"testing"

	"codexpro.dev/tunnelctl/tunneltest"
)

// fakes holds the fake cloudflared and mcpd built once for the package.
var fakes tunneltest.Fakes

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tunnelctl-fakes-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fakes, err = tunneltest.Build(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
