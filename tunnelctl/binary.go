package tunnelctl

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Program is a provider's program that tunnelctl never downloads (ngrok,
// tailscale): the user installs it, or names it with a flag or variable.
type Program struct {
	Name         string   // ngrok | tailscale
	Explicit     string   // the path a flag or variable gave; "" = search PATH
	ExplicitName string   // that flag or variable, for messages
	VersionArgs  []string // how it prints its version
	Install      string   // how to install it, for the error
}

// Find returns the program if it answers its version command.
func (p Program) Find(ctx context.Context) (Resolved, error) {
	path, source := p.Explicit, SourceExplicit
	switch {
	case path == "":
		found, err := exec.LookPath(p.Name)
		if err != nil {
			return Resolved{}, fmt.Errorf("%s was not found on PATH: %s; or name it with %s PATH", p.Name, p.Install, p.ExplicitName)
		}
		path, source = found, SourcePath
	case strings.ContainsRune(path, os.PathSeparator) || strings.ContainsRune(path, '/'):
		abs, err := filepath.Abs(path)
		if err != nil {
			return Resolved{}, fmt.Errorf("%s %s: %w", p.ExplicitName, path, err)
		}
		path = abs
	default:
		if found, err := exec.LookPath(path); err == nil {
			path = found
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return Resolved{}, fmt.Errorf("%s was not found at %s (from %s): %s, or pass a valid path", p.Name, p.Explicit, p.ExplicitName, p.Install)
	}
	v, err := VersionOf(ctx, path, p.VersionArgs...)
	if err != nil {
		return Resolved{}, fmt.Errorf("%s is not a working %s: %w", path, p.Name, err)
	}
	return Resolved{Path: path, Version: v, Source: source}, nil
}

// orFlag is from, else the flag.
func orFlag(from, flag string) string {
	if from != "" {
		return from
	}
	return flag
}
