package tunnelctl

import (
	"fmt"
	"strings"

	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/sandbox"
)

// PublicShellFlag is the override that lets a tunnel publish a shell the
// sandbox does not confine. Its name says what it does on purpose.
const PublicShellFlag = "--i-understand-public-shell"

// McpdSettings loads the settings the mcpd child will run with, through
// mcpd's own loader, so a bad flag, variable or profile value fails before
// anything starts, with mcpd's message. It sees what the child will see:
// the same flags, the saved profile, and the environment minus what
// tunnelctl sets itself (host, port, transport, public hostname, no-auth);
// the connector token variables stay, as they choose the token.
func McpdSettings(given config.Flags, getenv func(string) string) (config.Settings, error) {
	f := config.Flags{"transport": {"http"}, "host": {"127.0.0.1"}}
	for k, v := range given {
		if k != "transport" && k != "host" && k != "no-auth" {
			f[k] = v
		}
	}
	env := func(name string) (string, bool) {
		if name != "CODEXPRO_HTTP_TOKEN" && name != "CODEBASE_BRIDGE_HTTP_TOKEN" && mcpdDrop(name) {
			return "", false
		}
		v := getenv(name)
		return v, v != ""
	}
	return config.Load(f, env)
}

// Exposure is what a tunnel publishes: the modes the ready block shows and
// the guard checks.
type Exposure struct {
	Mode, Write, Bash, Sandbox string
	Auth                       string // token | oauth
	Roots                      []string
	Confined                   bool   // bash children run inside a sandbox
	Why                        string // why they do not, when they do not
}

// ExposureOf reads the modes from mcpd's settings. "auto" is resolved the
// way mcpd resolves it: confined when this system has a sandbox.
func ExposureOf(s config.Settings) Exposure {
	x := Exposure{Mode: s.Mode, Write: s.WriteMode, Bash: s.BashMode, Sandbox: s.Sandbox, Roots: s.AllowedRoots, Auth: s.Auth}
	switch s.Sandbox {
	case "off":
		x.Why = "sandbox off"
	case "landlock":
		x.Confined = true // mcpd refuses to start when it cannot confine
	default:
		_, ok, why := sandbox.Available()
		x.Confined, x.Why = ok, why
	}
	return x
}

// Check refuses what would hand the internet an unconfined shell: bash full,
// or workspace writes with bash on and no sandbox (write a script, then run
// it through `go test` or `make`). override is PublicShellFlag.
func (x Exposure) Check(override bool) error {
	if override {
		return nil
	}
	if x.Bash == "full" {
		return fmt.Errorf("refusing to publish bash full through a tunnel: anyone who has the connector URL could run any command as you.\n"+
			"Use --bash safe (or off), or change the saved profile (tunnelctl setup). If you really mean it, add %s", PublicShellFlag)
	}
	if x.Write == "workspace" && x.Bash != "off" && !x.Confined {
		return fmt.Errorf("refusing to publish --write workspace with bash on and no sandbox (%s) through a tunnel: a written script run by bash escapes every guard.\n"+
			"Use --sandbox auto on a system with Landlock, --write handoff, or --bash off. If you really mean it, add %s", x.Why, PublicShellFlag)
	}
	return nil
}

// SandboxLine is the sandbox as the ready block shows it.
func (x Exposure) SandboxLine() string {
	switch {
	case x.Sandbox == "":
		return "-"
	case x.Confined && x.Sandbox == "auto":
		return "auto (confined)"
	case x.Confined:
		return x.Sandbox
	case x.Sandbox == "off":
		return "off (bash children are not confined)"
	}
	return x.Sandbox + " (not confined: " + x.Why + ")"
}

// Stability says whether the connector URL stays the same when tunnelctl
// restarts, and what to do about it when it does not: the provider's host
// must be stable (hostWhy says why it is, or why not) and so must the token.
func Stability(hostStable bool, hostWhy, tokenSource string) (stable bool, why string) {
	switch {
	case !hostStable:
		return false, "no: " + hostWhy
	case tokenSource == "generated":
		return false, "no: the token is new on every start; save one with tunnelctl setup (or mcpd settings set --new-token)"
	}
	return true, "yes: " + hostWhy + " and the token from " + tokenOrigin(tokenSource)
}

func tokenOrigin(source string) string {
	switch source {
	case "profile":
		return "the saved profile's token file"
	case "file":
		return "--token-file"
	case "env":
		return "CODEXPRO_HTTP_TOKEN"
	}
	return source
}

// rootsLine lists the allowed roots, the workspace first.
func rootsLine(roots []string) string {
	if len(roots) == 0 {
		return "-"
	}
	return strings.Join(roots, ", ")
}

// OAuth reports whether clients sign in with OAuth: the connector URL then
// carries no token.
func (x Exposure) OAuth() bool { return x.Auth == "oauth" }
