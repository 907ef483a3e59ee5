package tunnelctl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"
)

// Where a resolved cloudflared came from, in resolution order.
const (
	SourceExplicit  = "explicit"  // --cloudflared PATH or CLOUDFLARED_BIN
	SourcePath      = "PATH"      // cloudflared on PATH
	SourceHome      = "home"      // $CODEXPRO_HOME/bin/cloudflared
	SourceInstalled = "installed" // downloaded now
)

// Resolver finds a working cloudflared in the documented order:
// explicit path; PATH; $CODEXPRO_HOME/bin; download (unless NoInstall).
// ForceInstall skips PATH and the home copy and downloads a fresh one.
type Resolver struct {
	Explicit     string // --cloudflared or CLOUDFLARED_BIN
	ExplicitName string // which of the two set Explicit, for messages
	ForceInstall bool   // --install-cloudflared
	NoInstall    bool   // --no-install-cloudflared
	LookPath     func(string) (string, error)
	Installer    Installer // BinDir is also the home candidate's directory
	Log          zerolog.Logger
}

// Resolved is a cloudflared that answered --version.
type Resolved struct {
	Path, Version, Source string
}

// Resolve returns the first candidate that answers --version.
func (r Resolver) Resolve(ctx context.Context) (Resolved, error) {
	if r.ForceInstall && r.NoInstall {
		return Resolved{}, errors.New("--install-cloudflared and --no-install-cloudflared contradict each other: pass one")
	}
	if r.Explicit != "" {
		if r.ForceInstall {
			return Resolved{}, fmt.Errorf("--install-cloudflared would ignore %s=%s: drop one of them", r.explicitName(), r.Explicit)
		}
		return r.explicit(ctx)
	}
	if !r.ForceInstall {
		if got, ok := r.candidates(ctx); ok {
			return got, nil
		}
	}
	if r.NoInstall {
		return Resolved{}, fmt.Errorf("cloudflared was not found on PATH or in %s and --no-install-cloudflared forbids downloading it: install cloudflared, pass --cloudflared PATH, or drop --no-install-cloudflared", r.Installer.BinDir)
	}
	p, err := r.Installer.Install(ctx)
	if err != nil {
		return Resolved{}, fmt.Errorf("install cloudflared: %w", err)
	}
	v, err := CheckVersion(ctx, p)
	if err != nil {
		return Resolved{}, err
	}
	return Resolved{Path: p, Version: v, Source: SourceInstalled}, nil
}

func (r Resolver) explicitName() string {
	if r.ExplicitName == "" {
		return "--cloudflared"
	}
	return r.ExplicitName
}

func (r Resolver) explicit(ctx context.Context) (Resolved, error) {
	p := r.Explicit
	if strings.ContainsRune(p, os.PathSeparator) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return Resolved{}, fmt.Errorf("%s %s: %w", r.explicitName(), p, err)
		}
		p = abs
	} else if found, err := r.lookPath(p); err == nil {
		p = found
	}
	if fi, err := os.Stat(p); err != nil || fi.IsDir() {
		return Resolved{}, fmt.Errorf("cloudflared was not found at %s (from %s): remove it, install cloudflared, or pass a valid path", r.Explicit, r.explicitName())
	}
	v, err := CheckVersion(ctx, p)
	if err != nil {
		return Resolved{}, fmt.Errorf("%s=%s is not a working cloudflared: %w", r.explicitName(), r.Explicit, err)
	}
	return Resolved{Path: p, Version: v, Source: SourceExplicit}, nil
}

// candidates tries PATH, then the home copy; a broken one is logged and skipped.
func (r Resolver) candidates(ctx context.Context) (Resolved, bool) {
	var tries []Resolved
	if p, err := r.lookPath("cloudflared"); err == nil {
		tries = append(tries, Resolved{Path: p, Source: SourcePath})
	}
	home := filepath.Join(r.Installer.BinDir, binaryName(Platform()))
	if _, err := os.Stat(home); err == nil {
		tries = append(tries, Resolved{Path: home, Source: SourceHome})
	}
	for _, c := range tries {
		v, err := CheckVersion(ctx, c.Path)
		if err != nil {
			r.Log.Warn().Err(err).Str("path", c.Path).Msg("skipping a cloudflared that does not run")
			continue
		}
		c.Version = v
		return c, true
	}
	return Resolved{}, false
}

func (r Resolver) lookPath(name string) (string, error) {
	if r.LookPath != nil {
		return r.LookPath(name)
	}
	return exec.LookPath(name)
}
