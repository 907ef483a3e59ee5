//go:build linux

package sandbox

import (
	"fmt"
	"os"

	"github.com/landlock-lsm/go-landlock/landlock"
	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// systemReadDirs are readable and executable for every confined child:
// binaries, libraries, configuration and toolchains installed system-wide.
func systemReadDirs() []string {
	return []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/dev", "/sys/devices/system/cpu", "/run/systemd/resolve", "/nix/store"}
}

// procFiles are the system-wide /proc entries build tools read. /proc as
// a whole stays closed: Landlock does not stop reads of another process's
// /proc/PID/environ, where a token passed to mcpd by environment lives.
func procFiles() []string {
	return []string{"/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/proc/loadavg", "/proc/uptime", "/proc/version", "/proc/filesystems", "/proc/sys"}
}

// deviceFiles are writable because shells and build tools redirect to them.
func deviceFiles() []string {
	return []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/tty"}
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

func (p Policy) rules() []landlock.Rule {
	write := append([]string{p.Workspace}, p.WriteDirs...)
	if p.TempDir != "" {
		write = append(write, p.TempDir)
	}
	return []landlock.Rule{
		landlock.RODirs(append(systemReadDirs(), p.ReadDirs...)...).IgnoreIfMissing(),
		landlock.ROFiles(procFiles()...).IgnoreIfMissing(),
		landlock.RWFiles(deviceFiles()...).IgnoreIfMissing(),
		landlock.RWDirs(write...).WithRefer().IgnoreIfMissing(),
	}
}

func (p Policy) restrict() error {
	if _, ok, why := Available(); !ok {
		if p.Mode == ModeLandlock {
			return fmt.Errorf("landlock required (--sandbox landlock) but unavailable: %s", why)
		}
		return nil
	}
	if _, err := os.Stat(p.Workspace); err != nil {
		return fmt.Errorf("sandbox workspace: %w", err)
	}
	if err := p.config().Restrict(p.rules()...); err != nil {
		return fmt.Errorf("apply landlock policy: %w", err)
	}
	return nil
}
