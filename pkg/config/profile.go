package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
	Auth               string `json:"auth,omitempty"`
	SandboxNet         *bool  `json:"sandboxNet,omitempty"`

	AllowedRoots         []string `json:"allowedRoots,omitempty"` // real paths, the root excluded
	NoInstallCloudflared *bool    `json:"noInstallCloudflared,omitempty"`

	// Plaintext secrets written by CodexPro 0.30. They are read so an old
	// profile keeps working, and moved into 0600 files on the next save.
	LegacyToken           string `json:"token,omitempty"`
	LegacyCloudflareToken string `json:"cloudflareToken,omitempty"`
}

// ProfileID names a root's profile: hex(sha256(real root))[:24], the
// CodexPro 0.30's id (workspace.ID without its "ws_" prefix).
func ProfileID(realRoot string) string {
	sum := sha256.Sum256([]byte(realRoot))
	return hex.EncodeToString(sum[:])[:24]
}

// values maps the profile onto setting names, as the text a flag would
// carry, so the loader can apply it as the layer between the environment
// and the defaults. The mapping is the declaration's Profile key; lists
// (allowed roots, hostname) have their own rules in the loader.
func (p Profile) values() map[string]string {
	fields := p.fields()
	v := map[string]string{}
	for _, k := range Declared() {
		if k.Profile == "" || k.Type == List {
			continue
		}
		switch x := fields[k.Profile].(type) {
		case string:
			if x != "" {
				v[k.Name] = x
			}
		case bool:
			v[k.Name] = strconv.FormatBool(x)
		}
	}
	return v
}

// fields is the profile as its JSON object.
func (p Profile) fields() map[string]any {
	data, _ := json.Marshal(p)
	m := map[string]any{}
	_ = json.Unmarshal(data, &m)
	return m
}

// Set stores value (as config.Load reads it) under k's profile key.
// Booleans are stored as JSON booleans, everything else as text, as
// CodexPro 0.30 stores them.
func (p *Profile) Set(k *Setting, value string) error {
	if k.Profile == "" {
		return fmt.Errorf("--%s is not kept in a profile", k.Name)
	}
	m := p.fields()
	switch k.Type {
	case Bool, Switch:
		b, _ := parseBool(value)
		m[k.Profile] = b
	default:
		m[k.Profile] = value
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	var out Profile
	if err := json.Unmarshal(data, &out); err != nil {
		return fmt.Errorf("profile field %s: %w", k.Profile, err)
	}
	*p = out
	return nil
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
