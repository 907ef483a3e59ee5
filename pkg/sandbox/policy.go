// Package sandbox confines child processes (bash children, handoff
// executors) with the mechanism the OS has: Landlock on Linux, Seatbelt
// (sandbox-exec) on macOS, nothing on Windows, reported as such.
//
// One Policy drives both: Rules lists what a child may read and write, and
// each backend turns that list into its own form (Landlock rules applied by
// a re-exec of the current binary, or a Seatbelt profile). Everything not
// allowed is denied, which is how credential directories such as ~/.ssh
// stay out of reach; Seatbelt also denies them explicitly (Denied).
package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Modes accepted by Policy.Mode (the --sandbox / CODEXPRO_SANDBOX setting).
const (
	ModeAuto     = "auto"     // confine with what this OS has, or run unconfined and say so
	ModeLandlock = "landlock" // Linux: confine or refuse to run
	ModeSeatbelt = "seatbelt" // macOS: confine or refuse to run
	ModeOff      = "off"      // never confine
)

// Modes lists every mode, for settings and flag validation.
func Modes() []string { return []string{ModeAuto, ModeLandlock, ModeSeatbelt, ModeOff} }

// ExecMarker is argv[1] of the hidden re-exec entry point (Landlock).
const ExecMarker = "__codexpro-sandbox-exec"

// Policy says what a confined child may touch. Paths must be absolute.
type Policy struct {
	Mode      string   // auto|landlock|seatbelt|off
	Workspace string   // read, write and execute
	TempDir   string   // private temp dir: read, write and execute
	Home      string   // the user's home, whose credential locations are denied
	ReadDirs  []string // extra read+execute hierarchies (toolchains)
	ReadFiles []string // single files to read (toolchain configuration: ~/.gitconfig, Go's env file)
	WriteDirs []string // extra writable hierarchies (build caches), created before confinement
	Net       bool     // allow network connections
}

// Validate checks the mode and that every path is absolute.
func (p Policy) Validate() error {
	if !slices.Contains(Modes(), p.Mode) {
		return fmt.Errorf("sandbox mode %q (CODEXPRO_SANDBOX / --sandbox): want %s", p.Mode, strings.Join(Modes(), ", "))
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
		if strings.ContainsFunc(d, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return fmt.Errorf("sandbox policy: path %q contains a control character", d)
		}
	}
	return nil
}

func (p Policy) allPaths() []string {
	out := []string{p.Workspace}
	for _, d := range []string{p.TempDir, p.Home} {
		if d != "" {
			out = append(out, d)
		}
	}
	return slices.Concat(out, p.ReadDirs, p.ReadFiles, p.WriteDirs)
}

// backend is one OS confinement mechanism; each OS file provides one
// (osBackend).
type backend struct {
	name      string                                  // the mode that requires it: landlock, seatbelt, or "" (none)
	available func() (level int, ok bool, why string) // ok when it can confine on this machine
	wrap      func(p Policy, argv []string) ([]string, error)
	describe  func(p Policy, level int) string
	carves    bool // denies credential paths inside allowed trees
}

// Active reports whether children will be confined under this policy and
// how, for server_config, doctor and the startup log.
func (p Policy) Active() (bool, string) {
	return p.active(osBackend())
}

func (p Policy) active(b backend) (bool, string) {
	if p.Mode == ModeOff {
		return false, "sandbox off (--sandbox off): children run unconfined"
	}
	level, ok, why := b.available()
	if b.name == "" {
		return false, "no OS sandbox on this system, children run unconfined: " + why
	}
	if !ok {
		return false, b.name + " unavailable, children run unconfined: " + why
	}
	return true, b.describe(p, level)
}

// Wrap turns argv into the argv that runs it confined. In auto mode
// without a backend, and in off mode, argv is returned unchanged; a mode
// that names a backend this machine lacks is an error, never a silent
// unconfined run. The policy's write dirs (caches) are created first, so a
// tool does not fail on a cache it may use but could not create.
func (p Policy) Wrap(argv []string) ([]string, error) {
	return p.wrap(argv, osBackend())
}

func (p Policy) wrap(argv []string, b backend) ([]string, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Mode == ModeOff {
		return argv, nil
	}
	if p.Mode != ModeAuto && p.Mode != b.name {
		return nil, fmt.Errorf("sandbox mode %s (--sandbox %s) is not available on this system (%s); use --sandbox auto or off", p.Mode, p.Mode, orNone(b.name))
	}
	if b.name == "" {
		return argv, nil
	}
	if _, ok, why := b.available(); !ok {
		if p.Mode != ModeAuto {
			return nil, fmt.Errorf("sandbox mode %s (--sandbox %s) required but %s unavailable: %s", p.Mode, p.Mode, b.name, why)
		}
		return argv, nil
	}
	for _, d := range p.WriteDirs {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("sandbox: create cache dir %s before confinement: %w", d, err)
		}
	}
	return b.wrap(p, argv)
}

func orNone(name string) string {
	if name == "" {
		return "this OS has no sandbox CodexPro can use"
	}
	return "this OS uses " + name
}

// Exposed lists credential paths under home that the policy still makes
// reachable because an allowed hierarchy contains them (for example a
// workspace that is the home directory itself), on a backend that cannot
// carve a hole into an allowed tree (Landlock). The caller warns.
func (p Policy) Exposed(home string) []string {
	return p.exposed(home, osBackend())
}

func (p Policy) exposed(home string, b backend) []string {
	if p.Mode == ModeOff || home == "" || b.carves {
		return nil
	}
	var out []string
	for _, c := range credentialPaths() {
		target := filepath.Join(home, c)
		for _, d := range slices.Concat([]string{p.Workspace, p.TempDir}, p.ReadDirs, p.WriteDirs) {
			if d != "" && within(d, target) && !slices.Contains(out, target) {
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

// Name is the sandbox this OS uses (landlock, seatbelt), or "" for none.
func Name() string { return osBackend().name }
