package admin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"

	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/procx"
)

// tunnelRuntime is the part of tunnelctl's runtime file the page shows
// ($CODEXPRO_HOME/runtime/tunnel-<id>.json). It never holds a token.
type tunnelRuntime struct {
	PID      int    `json:"pid"`
	Tunnel   string `json:"tunnel"`
	Endpoint string `json:"endpoint"`
}

// publicEndpoint returns the public MCP URL: a live tunnelctl's endpoint,
// else the first configured public hostname, else "".
func (a *Admin) publicEndpoint() (url, from string) {
	s := a.o.Settings
	path := filepath.Join(s.Home, "runtime", "tunnel-"+config.ProfileID(s.Root)+".json")
	if rt, err := readRuntime(path); err == nil && rt.Endpoint != "" && procx.Alive(rt.PID) {
		return rt.Endpoint, "tunnelctl (" + rt.Tunnel + " tunnel, pid " + strconv.Itoa(rt.PID) + ")"
	}
	if len(s.PublicHostnames) > 0 {
		return "https://" + s.PublicHostnames[0] + "/mcp", "CODEXPRO_PUBLIC_HOSTNAME"
	}
	return "", ""
}

func readRuntime(path string) (tunnelRuntime, error) {
	var rt tunnelRuntime
	data, err := os.ReadFile(path)
	if err != nil {
		return rt, err
	}
	return rt, json.Unmarshal(data, &rt)
}
