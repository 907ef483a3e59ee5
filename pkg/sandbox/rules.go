package sandbox

import "path/filepath"

// Access is what a PathRule grants. Write includes read.
type Access uint8

// Access levels.
const (
	Read Access = iota + 1
	Write
)

// PathRule grants access to one path: a whole tree, or a single file.
type PathRule struct {
	Path   string
	Access Access
	Tree   bool
}

// System is what an OS needs readable (and a few devices writable) for any
// program to start: binaries, libraries, system configuration.
type System struct {
	ReadTrees   []string
	ReadFiles   []string
	DeviceFiles []string // read and write: shells redirect to them
}

// LinuxSystem is the Linux base. /proc as a whole stays closed: a child
// must not read another process's /proc/PID/environ, where a token passed
// to mcpd by environment lives; only system-wide entries are open.
func LinuxSystem() System {
	return System{
		ReadTrees: []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/dev",
			"/sys/devices/system/cpu", "/run/systemd/resolve", "/nix/store", "/proc/sys"},
		ReadFiles:   []string{"/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/proc/loadavg", "/proc/uptime", "/proc/version", "/proc/filesystems"},
		DeviceFiles: []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/tty"},
	}
}

// DarwinSystem is the macOS base, in resolved form (/etc and /var are
// links into /private, and Seatbelt matches resolved paths). /Library is
// readable for frameworks and the command line tools; its keychains are
// denied with the user's credentials (Policy.Denied).
func DarwinSystem() System {
	return System{
		ReadTrees: []string{"/usr", "/bin", "/sbin", "/System", "/Library", "/private/etc", "/private/var/db/timezone",
			"/private/var/select", "/opt", "/Applications/Xcode.app", "/nix/store", "/dev"},
		ReadFiles:   []string{"/", "/etc", "/var", "/tmp"},
		DeviceFiles: []string{"/dev/null", "/dev/zero", "/dev/tty", "/dev/ptmx"},
	}
}

// Rules is the whole allow-list of the policy on top of sys, in a fixed
// order: what both Landlock and Seatbelt enforce.
func (p Policy) Rules(sys System) []PathRule {
	var out []PathRule
	add := func(paths []string, a Access, tree bool) {
		for _, d := range paths {
			if d != "" {
				out = append(out, PathRule{Path: d, Access: a, Tree: tree})
			}
		}
	}
	add(sys.ReadTrees, Read, true)
	add(sys.ReadFiles, Read, false)
	add(p.ReadDirs, Read, true)
	add(p.ReadFiles, Read, false)
	add(sys.DeviceFiles, Write, false)
	add([]string{p.Workspace, p.TempDir}, Write, true)
	add(p.WriteDirs, Write, true)
	return out
}

// credentialPaths are the home-relative secrets a confined child must not
// read: never on the allow-list, and denied outright where the OS can carve
// a hole into an allowed tree (Seatbelt).
func credentialPaths() []string {
	return []string{".ssh", ".aws", ".gnupg", ".codexpro", ".config/gh", ".config/git/credentials", ".kube", ".docker",
		".netrc", ".git-credentials", ".npmrc", ".pypirc", ".pgpass", ".vault-token", ".cargo/credentials.toml",
		".cargo/credentials", ".azure", ".config/gcloud", "Library/Keychains"}
}

// Denied lists the credential locations of the policy's home (and the
// system keychains), for backends that deny explicitly.
func (p Policy) Denied() []string {
	var out []string
	if p.Home != "" {
		for _, c := range credentialPaths() {
			out = append(out, filepath.Join(p.Home, c))
		}
	}
	return append(out, "/Library/Keychains")
}
