package tunnelctl

import (
	"os"
	"testing"

	"codexpro.dev/tunnelctl/tunneltest"
)

// fakes holds the fake cloudflared and mcpd built once for the package.
var fakes tunneltest.Fakes

func TestMain(m *testing.M) { os.Exit(tunneltest.Main(m, &fakes)) }
