package handoff

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"codexpro.dev/pkg/bridge"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"codexpro.dev/pkg/agentapi"
)

// pluginStartTimeout bounds the adapter handshake.
const pluginStartTimeout = 20 * time.Second

func isBuiltin(name string) bool {
	for _, b := range bridge.BuiltinAgents() {
		if b == name {
			return true
		}
	}
	return false
}

// pluginRef is a located adapter binary.
type pluginRef struct {
	Name     string
	Path     string
	Builtin  bool
	Checksum []byte // pinned SHA-256; nil for built-ins
}

// findPlugin locates the adapter for name: a built-in beside the handoff
// binary, else a third-party adapter in CODEXPRO_HOME/plugins, which must
// be pinned with `handoff plugins trust`.
func findPlugin(o *Options, name string) (pluginRef, error) {
	if isBuiltin(name) {
		p := filepath.Join(o.BuiltinDir, agentapi.BinaryPrefix+name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return pluginRef{Name: name, Path: p, Builtin: true}, nil
		}
	}
	p, err := thirdPartyPath(o.Home, name)
	if errors.Is(err, os.ErrNotExist) {
		return pluginRef{}, fmt.Errorf("unsupported --agent %s: no adapter %s%s beside handoff (%s) or in %s. Use codex, opencode, pi, a trusted plugin, or custom with --command",
			name, agentapi.BinaryPrefix, name, o.BuiltinDir, PluginsDir(o.Home))
	}
	if err != nil {
		return pluginRef{}, err
	}
	tf, err := loadTrust(o.Home)
	if err != nil {
		return pluginRef{}, err
	}
	pin, ok := tf.Plugins[name]
	if !ok {
		return pluginRef{}, fmt.Errorf("refusing third-party adapter %s: it is not trusted. Review it, then pin it with: handoff plugins trust %s", p, name)
	}
	sum, err := decodePin(pin)
	if err != nil {
		return pluginRef{}, fmt.Errorf("plugin %s in %s: %w", name, trustPath(o.Home), err)
	}
	return pluginRef{Name: name, Path: p, Checksum: sum}, nil
}

// startPlugin launches an adapter as a go-plugin subprocess over gRPC with
// AutoMTLS. Its environment is exactly env (the agent's), never handoff's
// own. For a third-party adapter go-plugin hashes the binary and compares
// it with the pin before it executes anything.
func startPlugin(ref pluginRef, root string, env []string, logw io.Writer) (agentapi.Agent, func(), error) {
	cmd := exec.Command(ref.Path)
	cmd.Env = env
	cmd.Dir = root
	cfg := &plugin.ClientConfig{
		HandshakeConfig:  agentapi.Handshake(),
		Plugins:          agentapi.PluginSet(nil),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		SkipHostEnv:      true,
		StartTimeout:     pluginStartTimeout,
		SyncStdout:       io.Discard,
		SyncStderr:       io.Discard,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "handoff", Output: logw, Level: hclog.Error}),
	}
	if !ref.Builtin {
		cfg.SecureConfig = &plugin.SecureConfig{Checksum: ref.Checksum, Hash: sha256.New()}
	}
	client := plugin.NewClient(cfg)
	rpc, err := client.Client()
	if errors.Is(err, plugin.ErrChecksumsDoNotMatch) {
		client.Kill()
		return nil, nil, fmt.Errorf("refusing third-party adapter %s: its SHA-256 no longer matches the pin from `handoff plugins trust %s`; the binary changed. Review it and trust it again", ref.Path, ref.Name)
	}
	if err != nil {
		client.Kill()
		return nil, nil, fmt.Errorf("start adapter %s: %w", ref.Path, err)
	}
	raw, err := rpc.Dispense(agentapi.PluginName)
	if err != nil {
		client.Kill()
		return nil, nil, fmt.Errorf("adapter %s: %w", ref.Path, err)
	}
	a, ok := raw.(agentapi.Agent)
	if !ok {
		client.Kill()
		return nil, nil, fmt.Errorf("adapter %s does not speak the agent contract", ref.Path)
	}
	return a, client.Kill, nil
}
