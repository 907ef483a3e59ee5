package config

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Profile is the saved choice of settings for one workspace root, in
// CodexPro 0.30's file format so either tool can read the
// other's profiles. Empty fields are unset and fall through to defaults.
// The bearer token is never stored here: TokenFile names a 0600 file.
type Profile struct {
	Version   int    `json:"version"`
	Root      string `json:"root"`
	UpdatedAt string `json:"updatedAt,omitempty"`

	Port   string `json:"port,omitempty"` // a string, as CodexPro 0.30 stores it
	Host   string `json:"host,omitempty"`
	Mode   string `json:"mode,omitempty"`
	Tunnel string `json:"tunnel,omitempty"`

	Hostname            string `json:"hostname,omitempty"`
	TunnelName          string `json:"tunnelName,omitempty"`
	NgrokConfig         string `json:"ngrokConfig,omitempty"`
	CloudflareConfig    string `json:"cloudflareConfig,omitempty"`
	CloudflareTokenFile string `json:"cloudflareTokenFile,omitempty"`
	TokenFile           string `json:"tokenFile,omitempty"`

	Bash               string `json:"bash,omitempty"`
	BashTranscript     string `json:"bashTranscript,omitempty"`
	CodexSessions      string `json:"codexSessions,omitempty"`
	CodexDir           string `json:"codexDir,omitempty"`
	BashSession        string `json:"bashSession,omitempty"`
	RequireBashSession *bool  `json:"requireBashSession,omitempty"`
	Write              string `json:"write,omitempty"`
	ToolMode           string `json:"toolMode,omitempty"`
	WidgetDomain       string `json:"widgetDomain,omitempty"`
	ToolCards          *bool  `json:"toolCards,omitempty"`
	Sandbox            string `json:"sandbox,omitempty"`
	SandboxNet         *bool  `json:"sandboxNet,omitempty"`

	AllowedRoots         []string `json:"allowedRoots,omitempty"` // real paths, the root excluded
	NoInstallCloudflared *bool    `json:"noInstallCloudflared,omitempty"`

	// Plaintext secrets written by CodexPro 0.30. They are read so an old
	// profile keeps working, and moved into 0600 files on the next save.
	LegacyToken           string `json:"token,omitempty"`
	LegacyCloudflareToken string `json:"cloudflareToken,omitempty"`
}

// ProfileID names a root's profile: hex(sha256(real root))[:24], the
// reference's id (workspace.ID without its "ws_" prefix).
func ProfileID(realRoot string) string {
	sum := sha256.Sum256([]byte(realRoot))
	return hex.EncodeToString(sum[:])[:24]
}

// knobValues maps the profile onto the settings' flag names, so the loader
// can apply it as the layer between the environment and the defaults.
func (p Profile) knobValues() map[string]string {
	v := map[string]string{}
	put := func(flag, value string) {
		if value != "" {
			v[flag] = value
		}
	}
	putBool := func(flag string, b *bool) {
		if b != nil {
			v[flag] = strconv.FormatBool(*b)
		}
	}
	put(kPort.flag, p.Port)
	put(kHost.flag, p.Host)
	put(kMode.flag, p.Mode)
	put(kWrite.flag, p.Write)
	put(kToolMode.flag, p.ToolMode)
	put(kBash.flag, p.Bash)
	put(kTranscript.flag, p.BashTranscript)
	put(kBashSession.flag, p.BashSession)
	putBool(kRequireSession.flag, p.RequireBashSession)
	put(kSandbox.flag, p.Sandbox)
	putBool(kSandboxNet.flag, p.SandboxNet)
	put(kCodexSessions.flag, p.CodexSessions)
	put(kCodexDir.flag, p.CodexDir)
	putBool(kToolCards.flag, p.ToolCards)
	put(kWidgetDomain.flag, p.WidgetDomain)
	put(kTokenFile.flag, p.TokenFile)
	return v
}

// profileField is the JSON name of the profile field behind a flag, for
// messages that point at the file.
var profileField = map[string]string{
	"port": "port", "host": "host", "mode": "mode", "write": "write", "tool-mode": "toolMode",
	"bash": "bash", "bash-transcript": "bashTranscript", "bash-session": "bashSession",
	"require-bash-session": "requireBashSession", "sandbox": "sandbox", "sandbox-net": "sandboxNet",
	"codex-sessions": "codexSessions", "codex-dir": "codexDir", "tool-cards": "toolCards",
	"widget-domain": "widgetDomain", "token-file": "tokenFile",
}

// Sanitized is the profile as `settings show` and the admin page print it:
// secrets replaced by "<saved>", file paths kept.
func (p Profile) Sanitized() Profile {
	if p.LegacyToken != "" {
		p.LegacyToken = "<saved>"
	}
	if p.LegacyCloudflareToken != "" {
		p.LegacyCloudflareToken = "<saved>"
	}
	return p
}
