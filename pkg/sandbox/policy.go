// Package sandbox confines child processes with Landlock on Linux.
//
// Landlock restricts the process that asks for it, so a child is confined
// by re-executing the current binary through a hidden entry point
// (MaybeExec) that applies the Policy and then execs the real command.
// Landlock is an allow-list: everything not named here is unreadable,
// which is how credential directories such as ~/.ssh stay out of reach.
package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Modes accepted by Policy.Mode (the --sandbox / CODEXPRO_SANDBOX setting).
const (
	ModeAuto     = "auto"     // confine when the kernel supports Landlock
	ModeLandlock = "landlock" // confine or refuse to run
	ModeOff      = "off"      // never confine
)

// ExecMarker is argv[1] of the hidden re-exec entry point.
const ExecMarker = "__codexpro-sandbox-exec"

// Policy says what a confined child may touch. Paths must be absolute.
type Policy struct {
	Mode      string   // auto|landlock|off
	Workspace string   // read, write and execute
	TempDir   string   // private temp dir: read, write and execute
	ReadDirs  []string // extra read+execute hierarchies (toolchains)
	WriteDirs []string // extra writable hierarchies (build caches)
	Net       bool     // allow outbound TCP connect
}

// Validate checks the mode and that every path is absolute.
func (p Policy) Validate() error {
	switch p.Mode {
	case ModeAuto, ModeLandlock, ModeOff:
	default:
		return fmt.Errorf("sandbox mode %q (CODEXPRO_SANDBOX / --sandbox): want auto, landlock or off", p.Mode)
	}
	if p.Mode == ModeOff {
		return nil
	}
	if p.Workspace == "" {
		return errors.New("sandbox policy: workspace is required")
	}
	for _, d := range p.allPaths() {
		if !filepath.IsAbs(d) {
			return fmt.Errorf("sandbox policy: path %q is not absolute", d)
		}
	}
	return nil
}

func (p Policy) allPaths() []string {
	out := []string{p.Workspace}
	if p.TempDir != "" {
		out = append(out, p.TempDir)
	}
	out = append(out, p.ReadDirs...)
	return append(out, p.WriteDirs...)
}

// Active reports whether children will be confined under this policy and
// why (or why not), for server_config and the startup log.
func (p Policy) Active() (bool, string) {
	if p.Mode == ModeOff {
		return false, "sandbox off (--sandbox off)"
	}
	abi, ok, why := Available()
	if !ok {
		return false, "landlock unavailable: " + why
	}
	net := "outbound TCP denied"
	if p.Net {
		net = "network allowed (--sandbox-net)"
	} else if abi < 4 {
		net = fmt.Sprintf("network not restricted (Landlock ABI %d < 4)", abi)
	}
	return true, fmt.Sprintf("landlock ABI %d: writes limited to the workspace and a private temp dir; %s", abi, net)
}

// Wrap turns argv into the argv that runs it confined: the current
// executable, ExecMarker, the encoded policy, "--", argv. In auto mode
// without Landlock, and in off mode, argv is returned unchanged; in
// landlock mode without Landlock it is an error.
func (p Policy) Wrap(argv []string) ([]string, error) {
	return p.wrap(argv, Available)
}

// probe is the signature of Available, replaceable in tests.
type probe func() (abi int, ok bool, why string)

func (p Policy) wrap(argv []string, available probe) ([]string, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Mode == ModeOff {
		return argv, nil
	}
	if _, ok, why := available(); !ok {
		if p.Mode == ModeLandlock {
			return nil, fmt.Errorf("sandbox mode landlock (--sandbox landlock) required but landlock unavailable: %s", why)
		}
		return argv, nil
	}
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

// credentialDirs are the home-relative secrets a confined child must not
// read. They stay unreadable because they are never on the allow-list;
// Exposed reports when an allowed hierarchy contains one anyway.
func credentialDirs() []string {
	return []string{".ssh", ".aws", ".gnupg", ".codexpro", ".config/gh", ".kube", ".docker", ".netrc", ".git-credentials", ".npmrc", ".pypirc", ".cargo/credentials.toml", ".cargo/credentials"}
}

// Exposed lists credential paths under home that the policy still makes
// reachable because an allowed hierarchy contains them (for example a
// workspace that is the home directory itself). Landlock cannot carve a
// hole into an allowed tree, so the caller should warn about these.
func (p Policy) Exposed(home string) []string {
	if p.Mode == ModeOff || home == "" {
		return nil
	}
	var out []string
	for _, c := range credentialDirs() {
		target := filepath.Join(home, c)
		for _, d := range p.allPaths() {
			if within(d, target) && !slices.Contains(out, target) {
				out = append(out, target)
			}
		}
	}
	return out
}

func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}
