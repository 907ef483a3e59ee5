//go:build linux

package sandbox

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/landlock-lsm/go-landlock/landlock"
	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// osBackend on Linux is Landlock, applied by re-executing the current
// binary through MaybeExec, which restricts itself and then execs argv.
func osBackend() backend {
	return backend{name: ModeLandlock, available: Available, wrap: landlockWrap, describe: landlockDescribe}
}

// Available probes the kernel for Landlock and returns its ABI version, or
// why it cannot be used (not built in, disabled at boot).
func Available() (abi int, ok bool, why string) {
	v, err := llsys.LandlockGetABIVersion()
	if err != nil {
		return 0, false, fmt.Sprintf("landlock ABI probe failed: %v (kernel without Landlock, or not in the lsm= boot list)", err)
	}
	if v < 1 {
		return v, false, fmt.Sprintf("landlock ABI %d reported", v)
	}
	return v, true, ""
}

func landlockWrap(p Policy, argv []string) ([]string, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("sandbox: locate own executable for re-exec: %w", err)
	}
	enc, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("sandbox: encode policy: %w", err)
	}
	return append([]string{self, ExecMarker, string(enc), "--"}, argv...), nil
}

func landlockDescribe(p Policy, abi int) string {
	net := "outbound TCP denied"
	if p.Net {
		net = "network allowed (--sandbox-net)"
	} else if abi < 4 {
		net = fmt.Sprintf("network not restricted (Landlock ABI %d < 4)", abi)
	}
	return fmt.Sprintf("landlock ABI %d: writes limited to the workspace, a private temp dir and toolchain caches; home credentials unreadable; %s", abi, net)
}

// config handles every filesystem right of the newest ABI go-landlock
// knows, TCP connect unless Net, and the signal and abstract-socket
// scopes, so a child can neither signal mcpd nor reach its sockets.
// BestEffort drops what the running kernel lacks.
func (p Policy) config() landlock.Config {
	cfg := landlock.Config{
		HandledAccessFS: landlock.V7.HandledAccessFS,
		Scoped:          landlock.V7.Scoped,
	}
	if !p.Net {
		cfg.HandledAccessNet = landlock.AccessNetSet(llsys.AccessNetConnectTCP)
	}
	return cfg.BestEffort()
}

// landlockRules turns the policy's rules into Landlock's four kinds.
func (p Policy) landlockRules() []landlock.Rule {
	var roDirs, roFiles, rwDirs, rwFiles []string
	for _, r := range p.Rules(LinuxSystem()) {
		switch {
		case r.Tree && r.Access == Write:
			rwDirs = append(rwDirs, r.Path)
		case r.Tree:
			roDirs = append(roDirs, r.Path)
		case r.Access == Write:
			rwFiles = append(rwFiles, r.Path)
		default:
			roFiles = append(roFiles, r.Path)
		}
	}
	return []landlock.Rule{
		landlock.RODirs(roDirs...).IgnoreIfMissing(),
		landlock.ROFiles(roFiles...).IgnoreIfMissing(),
		landlock.RWFiles(rwFiles...).IgnoreIfMissing(),
		landlock.RWDirs(rwDirs...).WithRefer().IgnoreIfMissing(),
	}
}

func (p Policy) restrict() error {
	if _, ok, why := Available(); !ok {
		if p.Mode != ModeAuto {
			return fmt.Errorf("landlock required (--sandbox %s) but unavailable: %s", p.Mode, why)
		}
		return nil
	}
	if _, err := os.Stat(p.Workspace); err != nil {
		return fmt.Errorf("sandbox workspace: %w", err)
	}
	if err := p.config().Restrict(p.landlockRules()...); err != nil {
		return fmt.Errorf("apply landlock policy: %w", err)
	}
	return nil
}
