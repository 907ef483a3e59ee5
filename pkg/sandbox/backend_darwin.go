//go:build darwin

package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
)

// sandboxExec is used by absolute path only: a sandbox-exec found on PATH
// could be anything.
const sandboxExec = "/usr/bin/sandbox-exec"

// osBackend on macOS is Seatbelt: the child runs under sandbox-exec with
// the profile SeatbeltProfile generates from the same Policy.
func osBackend() backend {
	return backend{name: ModeSeatbelt, available: Available, wrap: seatbeltWrap, describe: seatbeltDescribe, carves: true}
}

// Available reports whether sandbox-exec can be run.
func Available() (level int, ok bool, why string) {
	fi, err := os.Stat(sandboxExec)
	if err != nil || fi.Mode()&0o111 == 0 {
		return 0, false, fmt.Sprintf("%s not found or not executable", sandboxExec)
	}
	return 1, true, ""
}

// seatbeltWrap resolves every path first: Seatbelt matches the resolved
// path (/var/folders/... is /private/var/folders/...).
func seatbeltWrap(p Policy, argv []string) ([]string, error) {
	return append([]string{sandboxExec, "-p", resolved(p).SeatbeltProfile(), "--"}, argv...), nil
}

func resolved(p Policy) Policy {
	r := func(s string) string {
		if s == "" {
			return s
		}
		if real, err := filepath.EvalSymlinks(s); err == nil {
			return real
		}
		return s
	}
	all := func(in []string) []string {
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = r(s)
		}
		return out
	}
	p.Workspace, p.TempDir, p.Home = r(p.Workspace), r(p.TempDir), r(p.Home)
	p.ReadDirs, p.ReadFiles, p.WriteDirs = all(p.ReadDirs), all(p.ReadFiles), all(p.WriteDirs)
	return p
}

func seatbeltDescribe(p Policy, _ int) string {
	net := "network denied"
	if p.Net {
		net = "network allowed (--sandbox-net)"
	}
	return "seatbelt (sandbox-exec): writes limited to the workspace, a private temp dir and toolchain caches; home credentials and keychains unreadable; " + net
}

func (p Policy) restrict() error {
	return fmt.Errorf("the landlock re-exec entry point runs only on Linux; on macOS children are confined by %s", sandboxExec)
}
