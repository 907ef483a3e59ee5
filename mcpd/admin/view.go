package admin

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"codexpro.dev/pkg/sandbox"

	"codexpro.dev/mcpd/oauth"
	"codexpro.dev/pkg/config"
)

// view is everything the page shows. Running* describe the live server;
// Form holds the saved profile's values (or the running ones when nothing
// is saved yet).
type view struct {
	CSRF        string
	Root        string
	LocalMCP    string
	LocalAdmin  string
	Public      string // public MCP endpoint, "" when no tunnel is known
	PublicFrom  string
	Auth        string
	Running     config.Settings
	Sandbox     string
	ProfilePath string
	Exists      bool
	ProfileErr  string
	Form        form
	Steps       []string
	OAuth       bool          // --auth oauth: the page lists the approved clients
	Grants      []oauth.Grant // newest first, without token digests
}

// form is the editable part of the profile.
type form struct {
	Mode         string   `json:"mode"`
	Write        string   `json:"write"`
	Bash         string   `json:"bash"`
	ToolMode     string   `json:"toolMode"`
	AllowedRoots []string `json:"allowedRoots"`
}

func (a *Admin) view() view {
	s := a.o.Settings
	local := "http://" + net.JoinHostPort(displayHost(s.Host), portOf(a.o.Port))
	v := view{
		CSRF: a.csrf, Root: s.Root, Running: s,
		LocalMCP: local + "/mcp", LocalAdmin: local + "/",
		ProfilePath: a.store.Path(s.Root),
		Form:        formOf(s),
		OAuth:       s.Auth == "oauth",
		Grants:      a.grantList(),
	}
	v.Auth = "bearer token required (" + s.TokenSource + ")"
	if s.NoAuth {
		v.Auth = "OFF (--no-auth, loopback only)"
	}
	v.Sandbox = a.sandboxState()
	v.Public, v.PublicFrom = a.publicEndpoint()
	p, ok, err := a.store.Load(s.Root)
	switch {
	case err != nil:
		v.ProfileErr = err.Error()
	case ok:
		v.Exists = true
		v.Form = mergeForm(v.Form, p)
	}
	v.Steps = chatGPTSteps(v.Public, s.Root)
	return v
}

// formOf is the running server's values, the starting point of a new profile.
func formOf(s config.Settings) form {
	var extra []string
	for _, r := range s.AllowedRoots {
		if r != s.Root {
			extra = append(extra, r)
		}
	}
	return form{Mode: s.Mode, Write: s.WriteMode, Bash: s.BashMode, ToolMode: s.ToolMode, AllowedRoots: extra}
}

func mergeForm(f form, p config.Profile) form {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&f.Mode, p.Mode)
	set(&f.Write, p.Write)
	set(&f.Bash, p.Bash)
	set(&f.ToolMode, p.ToolMode)
	f.AllowedRoots = p.AllowedRoots
	return f
}

func (a *Admin) sandboxState() string {
	level, ok, why := a.o.Landlock()
	s := a.o.Settings
	name := sandbox.Name()
	switch {
	case s.Sandbox == "off":
		return "off (--sandbox off): bash and handoff children run unconfined"
	case ok:
		net := "no network"
		if s.SandboxNet {
			net = "network allowed"
		}
		if name == sandbox.ModeLandlock {
			name = fmt.Sprintf("Landlock ABI %d", level)
		}
		return fmt.Sprintf("%s: %s confines bash children to the workspace (%s)", s.Sandbox, name, net)
	case s.Sandbox != "auto":
		return s.Sandbox + " required but unavailable: " + why
	}
	return "auto: no sandbox available, children run unconfined (" + why + ")"
}

// chatGPTSteps are the exact clicks to add mcpd as a ChatGPT app; the
// first step says whether a tunnel runs for this workspace.
func chatGPTSteps(public, root string) []string {
	first := "A tunnel is running: ChatGPT reaches this workspace at " + public + ". Keep tunnelctl running while you use it."
	url := public + "?codexpro_token=<your token>  (Copy connector URL above fills in the token)"
	if public == "" {
		first = "No tunnel is running for this workspace, and ChatGPT needs a public HTTPS address: run  tunnelctl up --root " + root + "  and keep it running; reload this page to see its address."
		url = "the connector URL tunnelctl up prints (https://…/mcp?codexpro_token=…)"
	}
	return []string{
		first,
		"In ChatGPT open Settings → Apps & Connectors → Advanced settings and turn on Developer mode.",
		"Back in Apps & Connectors, choose Create.",
		"Name: CodexPro. Description: Local coding workspace bridge for ChatGPT.",
		"MCP Server URL: " + url + ".",
		"Authentication: No authentication (the token travels in the URL).",
		"Tick that you trust this application, then Create.",
		"In a chat, open + → Developer mode and switch CodexPro on.",
	}
}

func displayHost(h string) string {
	if h == "" || h == "0.0.0.0" || h == "::" {
		return "127.0.0.1"
	}
	return strings.Trim(h, "[]")
}

func portOf(p int) string { return strconv.Itoa(p) }
