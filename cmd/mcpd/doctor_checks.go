package main

import (
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"codexpro.dev/cmd/internal/clix"
	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/sandbox"
	"codexpro.dev/tunnelctl"
)

// checkBinaries looks for mcpd's siblings and compares the version and
// commit each was built from with mcpd's own.
func (a *app) checkBinaries(r *report) {
	if a.exeDir == "" {
		r.warn("binaries", "cannot tell where mcpd is installed", "run mcpd by its path")
		return
	}
	own := clix.Version() // what --version prints; Stamp reads the same from a sibling
	r.ok("mcpd", filepath.Join(a.exeDir, "mcpd")+" ("+own+")")
	for _, name := range []string{"handoff", "tunnelctl"} {
		a.checkSibling(r, filepath.Join(a.exeDir, name), own)
	}
	agents, _ := filepath.Glob(filepath.Join(a.exeDir, "handoff-agent-*"))
	if len(agents) == 0 {
		r.warn("handoff agents", "no handoff-agent-* adapters beside mcpd in "+a.exeDir,
			"build them with the other binaries (make build) and keep them in "+a.exeDir)
	}
	for _, p := range agents {
		a.checkSibling(r, p, own)
	}
}

func (a *app) checkSibling(r *report, path, own string) {
	name := filepath.Base(path)
	info, err := os.Stat(path)
	if err != nil || info.IsDir() || info.Mode().Perm()&0o111 == 0 {
		r.warn(name, "not found (or not executable) beside mcpd in "+filepath.Dir(path),
			"build it with the other binaries (make build) and install it next to mcpd")
		return
	}
	bi, _ := buildinfo.ReadFile(path) // nil for anything but a Go binary
	stamp := clix.Stamp(bi)
	switch {
	case stamp == "":
		r.warn(name, path+": not a Go binary built from this project (no build info)", "rebuild all binaries together: make build")
	case stamp != own:
		r.warn(name, fmt.Sprintf("%s is %s, mcpd is %s", path, stamp, own), "rebuild all binaries from one checkout: make build")
	default:
		r.ok(name, path+" ("+stamp+")")
	}
}

func checkSettings(r *report, s config.Settings, err error) {
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			r.fail("settings", line, "correct the flag, variable or profile field named here")
		}
		return
	}
	r.ok("settings", fmt.Sprintf("mode %s, write %s, bash %s, tools %s, sandbox %s", s.Mode, s.WriteMode, s.BashMode, s.ToolMode, s.Sandbox))
}

// checkProfile reports the workspace's profile and returns it (zero when
// missing or broken).
func checkProfile(r *report, store config.ProfileStore, root string, ignored bool) config.Profile {
	p, ok, err := store.Load(root)
	switch {
	case err != nil:
		r.fail("profile", err.Error(), "fix the JSON by hand, or start over: mcpd settings delete --root "+root+" --yes")
	case !ok:
		r.ok("profile", "none saved for this workspace (flags, variables and defaults apply)")
	case ignored:
		r.ok("profile", store.Path(root)+" (ignored: --no-profile)")
	case p.LegacyToken != "":
		r.warn("profile", store.Path(root)+" holds a plaintext token (written by CodexPro 0.30)",
			"move it into a 0600 token file: mcpd settings set --root "+root+" --new-token (or any setting)")
	default:
		r.ok("profile", store.Path(root)+" ("+summary(p)+")")
	}
	return p
}

// checkTokenFiles checks the permissions of every token file in play.
func checkTokenFiles(r *report, flagFile string, p config.Profile) {
	files := map[string]string{"token file": flagFile, "profile token": p.TokenFile}
	for _, check := range []string{"token file", "profile token"} {
		path := files[check]
		if path == "" {
			continue
		}
		info, err := os.Stat(path)
		switch {
		case err != nil:
			r.fail(check, fmt.Sprintf("%s: %v", path, err), "create it with a token of at least 24 bytes (mcpd settings set --new-token) or point to the right file")
		case !info.Mode().IsRegular():
			r.fail(check, path+": not a regular file", "point --token-file at a regular file")
		case info.Mode().Perm()&0o077 != 0:
			r.fail(check, fmt.Sprintf("%s: mode %04o lets other users read the token", path, info.Mode().Perm()), "chmod 600 "+path)
		default:
			r.ok(check, fmt.Sprintf("%s (mode %04o)", path, info.Mode().Perm()))
		}
	}
}

func checkPort(r *report, host string, port int) {
	if port == 0 {
		r.ok("port", "0: mcpd picks a free port and prints it")
		return
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		r.fail("port", fmt.Sprintf("%s is not free: %v", addr, err),
			fmt.Sprintf("stop what listens there (see: ss -ltnp 'sport = :%d'), or choose another port: --port 0 picks a free one", port))
		return
	}
	ln.Close()
	r.ok("port", addr+" is free")
}

func (a *app) checkGit(ctx context.Context, r *report) {
	path := a.lookPath("git")
	if path == "" {
		r.warn("git", "not found in PATH; git_status, git_diff and show_changes will fail", "install git (Debian/Ubuntu: apt-get install git)")
		return
	}
	r.ok("git", path+" ("+a.versionOf(ctx, path, "--version")+")")
}

// checkCloudflared resolves cloudflared the way tunnelctl does: the
// CLOUDFLARED_BIN variable, PATH, then $CODEXPRO_HOME/bin. It never downloads.
func (a *app) checkCloudflared(ctx context.Context, r *report, home string) {
	path := ""
	if v, ok := a.env("CLOUDFLARED_BIN"); ok && v != "" {
		if !isExecutable(v) {
			r.warn("cloudflared", "CLOUDFLARED_BIN="+v+" is not an executable file", "point CLOUDFLARED_BIN at cloudflared, or unset it")
			return
		}
		path = v
	}
	if path == "" {
		path = a.lookPath("cloudflared")
	}
	if bin := filepath.Join(home, "bin", "cloudflared"); path == "" && home != "" && isExecutable(bin) {
		path = bin
	}
	if path == "" {
		r.warn("cloudflared", "not found (CLOUDFLARED_BIN, PATH, "+filepath.Join(home, "bin")+"); needed only for a public tunnel",
			"tunnelctl install (verified download into $CODEXPRO_HOME/bin), or install cloudflared yourself")
		return
	}
	r.ok("cloudflared", path+" ("+a.versionOf(ctx, path, "--version")+")")
}

// checkProviders reports the programs of tunnelctl's other providers, as
// tunnelctl finds them (the variable, else PATH), with their version. They
// are never downloaded: a missing one is a warning saying how to install it.
func (a *app) checkProviders(ctx context.Context, r *report) {
	for _, p := range []struct{ name, env, install string }{
		{"ngrok", "NGROK_BIN", tunnelctl.NgrokInstall},
		{"tailscale", "TAILSCALE_BIN", tunnelctl.TailscaleInstall},
	} {
		path := a.lookPath(p.name)
		if v, ok := a.env(p.env); ok && v != "" {
			if !isExecutable(v) {
				r.warn(p.name, p.env+"="+v+" is not an executable file", "point "+p.env+" at "+p.name+", or unset it")
				continue
			}
			path = v
		}
		if path == "" {
			r.warn(p.name, "not found ("+p.env+", PATH); needed only for tunnelctl up --provider "+p.name, p.install)
			continue
		}
		r.ok(p.name, path+" ("+a.versionOf(ctx, path, "version")+")")
	}
}

func (a *app) checkLandlock(r *report, mode string) {
	probe := a.landlock
	if probe == nil {
		probe = sandbox.Available
	}
	level, ok, why := probe()
	name := sandbox.Name()
	if name == "" {
		name = "sandbox"
	}
	switch {
	case ok:
		detail := "available"
		if name == sandbox.ModeLandlock {
			detail = fmt.Sprintf("available (ABI %d)", level)
		}
		r.ok(name, detail+": bash and agent children are confined to the workspace")
	case mode != "auto" && mode != "off":
		r.fail(name, "unavailable but --sandbox "+mode+" requires it: "+why,
			"on Linux use a kernel with Landlock enabled (5.13+, lsm= includes landlock); elsewhere use --sandbox auto/off")
	default:
		r.warn(name, "unavailable, children run unconfined: "+why,
			"on Linux use a kernel with Landlock enabled (5.13+, lsm= includes landlock); --sandbox off states that you accept this")
	}
}

func (a *app) checkOpeners(r *report) {
	first := func(names ...string) string {
		for _, n := range names {
			if p := a.lookPath(n); p != "" {
				return p
			}
		}
		return ""
	}
	if p := first("wl-copy", "xclip", "xsel", "pbcopy", "clip.exe"); p != "" {
		r.ok("clipboard", p)
	} else {
		r.warn("clipboard", "no wl-copy, xclip, xsel, pbcopy or clip.exe; connector URLs cannot be copied for you",
			"install one (Debian/Ubuntu: apt-get install wl-clipboard or xclip), or copy URLs by hand")
	}
	if p := first("xdg-open", "open", "sensible-browser"); p != "" {
		r.ok("browser", p)
	} else {
		r.warn("browser", "no xdg-open, open or sensible-browser; the admin page cannot be opened for you",
			"install xdg-utils (apt-get install xdg-utils), or open the printed admin URL by hand")
	}
}

// lookPath searches the PATH of the app's environment, not the process's.
func (a *app) lookPath(name string) string {
	path, _ := a.env("PATH")
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		if p := filepath.Join(dir, name); isExecutable(p) {
			return p
		}
	}
	return ""
}

func isExecutable(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0
}

// versionOf runs `path arg` briefly and returns its first output line.
func (a *app) versionOf(ctx context.Context, path, arg string) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, arg)
	pathVar, _ := a.env("PATH")
	cmd.Env = []string{"PATH=" + pathVar, "LANG=C"}
	out, err := cmd.Output()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) || line == "" {
		return "version unknown"
	}
	return line
}
