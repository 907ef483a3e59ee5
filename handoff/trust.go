package handoff

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"codexpro.dev/pkg/agentapi"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/privfile"
)

// TrustFileName is the pin store under CODEXPRO_HOME.
const TrustFileName = "trusted-plugins.json"

// Pin is one trusted third-party adapter.
type Pin struct {
	SHA256    string `json:"sha256"`
	Path      string `json:"path"`
	TrustedAt string `json:"trusted_at"`
}

type trustFile struct {
	Version int            `json:"version"`
	Plugins map[string]Pin `json:"plugins"`
}

// PluginsDir is where third-party adapters live.
func PluginsDir(home string) string { return filepath.Join(home, "plugins") }

func trustPath(home string) string { return filepath.Join(home, TrustFileName) }

func loadTrust(home string) (trustFile, error) {
	tf := trustFile{Version: 1, Plugins: map[string]Pin{}}
	p := trustPath(home)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return tf, nil
	}
	if err != nil {
		return tf, fmt.Errorf("read plugin pins: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return tf, fmt.Errorf("refusing %s: not a regular file", p)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return tf, fmt.Errorf("refusing %s: mode %04o, want 0600", p, fi.Mode().Perm())
	}
	if err := privfile.CheckPrivate(p, fi); err != nil {
		return tf, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return tf, fmt.Errorf("read plugin pins: %w", err)
	}
	if err := json.Unmarshal(data, &tf); err != nil {
		return tf, fmt.Errorf("parse %s: %w", p, err)
	}
	if tf.Plugins == nil {
		tf.Plugins = map[string]Pin{}
	}
	return tf, nil
}

func saveTrust(home string, tf trustFile) error {
	data, err := bridge.MarshalState(tf)
	if err != nil {
		return err
	}
	if err := privfile.Write(trustPath(home), data); err != nil {
		return fmt.Errorf("write plugin pins: %w", err)
	}
	return nil
}

// thirdPartyPath returns the adapter binary for name in CODEXPRO_HOME,
// refusing symlinks and files or directories other users may write.
func thirdPartyPath(home, name string) (string, error) {
	if _, err := bridge.ValidateAgentID(name); err != nil {
		return "", fmt.Errorf("plugin name: %w", err)
	}
	dir := PluginsDir(home)
	p := filepath.Join(dir, agentapi.BinaryPrefix+name)
	fi, err := os.Lstat(p)
	if err != nil {
		return "", fmt.Errorf("adapter %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("refusing %s: not a regular file (symlinks are not followed)", p)
	}
	if err := privfile.CheckPrivate(p, fi); err != nil {
		return "", err
	}
	dfi, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("adapter %s: %w", name, err)
	}
	if err := privfile.CheckPrivate(dir, dfi); err != nil {
		return "", err
	}
	return p, nil
}

// TrustPlugin pins the current SHA-256 of the third-party adapter name. A
// non-empty expect must match it (a hash published by the adapter's
// author).
func TrustPlugin(home, name, expect string, now time.Time) (Pin, error) {
	p, err := thirdPartyPath(home, name)
	if err != nil {
		return Pin{}, err
	}
	sum, err := fileSHA256(p, -1)
	if err != nil {
		return Pin{}, fmt.Errorf("hash %s: %w", p, err)
	}
	if expect != "" && !strings.EqualFold(strings.TrimSpace(expect), sum) {
		return Pin{}, fmt.Errorf("refusing to trust %s: its sha256 is %s, not the expected %s", p, sum, expect)
	}
	tf, err := loadTrust(home)
	if err != nil {
		return Pin{}, err
	}
	pin := Pin{SHA256: sum, Path: p, TrustedAt: now.UTC().Format(time.RFC3339)}
	tf.Plugins[name] = pin
	return pin, saveTrust(home, tf)
}

// UntrustPlugin removes a pin.
func UntrustPlugin(home, name string) error {
	tf, err := loadTrust(home)
	if err != nil {
		return err
	}
	if _, ok := tf.Plugins[name]; !ok {
		return fmt.Errorf("plugin %s is not trusted", name)
	}
	delete(tf.Plugins, name)
	return saveTrust(home, tf)
}

// PluginInfo is one row of `handoff plugins list`.
type PluginInfo struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Kind   string `json:"kind"`   // builtin | third-party
	Status string `json:"status"` // ready | untrusted | changed | refused: …
	SHA256 string `json:"sha256,omitempty"`
}

// ListPlugins lists the built-in adapters beside handoff and the
// third-party ones in CODEXPRO_HOME/plugins with their trust status.
func ListPlugins(builtinDir, home string) ([]PluginInfo, error) {
	var out []PluginInfo
	for _, name := range bridge.BuiltinAgents() {
		p := filepath.Join(builtinDir, agentapi.BinaryPrefix+name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			out = append(out, PluginInfo{Name: name, Path: p, Kind: "builtin", Status: "ready"})
		}
	}
	tf, err := loadTrust(home)
	if err != nil {
		return nil, err
	}
	matches, _ := filepath.Glob(filepath.Join(PluginsDir(home), agentapi.BinaryPrefix+"*"))
	sort.Strings(matches)
	for _, m := range matches {
		name := strings.TrimPrefix(filepath.Base(m), agentapi.BinaryPrefix)
		info := PluginInfo{Name: name, Path: m, Kind: "third-party"}
		p, err := thirdPartyPath(home, name)
		if err != nil {
			info.Status = "refused: " + err.Error()
			out = append(out, info)
			continue
		}
		info.SHA256, _ = fileSHA256(p, -1)
		pin, ok := tf.Plugins[name]
		switch {
		case !ok:
			info.Status = "untrusted"
		case pin.SHA256 != info.SHA256:
			info.Status = "changed"
		default:
			info.Status = "ready"
		}
		out = append(out, info)
	}
	return out, nil
}

func decodePin(pin Pin) ([]byte, error) {
	b, err := hex.DecodeString(pin.SHA256)
	if err != nil || len(b) != sha256.Size {
		return nil, fmt.Errorf("pinned sha256 %q is not 64 hex digits", pin.SHA256)
	}
	return b, nil
}
