package config

import (
	"errors"
	"fmt"
	"strings"
)

// useProfile loads root's profile into the loader as the layer between the
// environment and the defaults, and returns its path ("" when there is none).
// A broken profile is an error naming the file, never ignored: it may hold
// stricter choices (bash off, write off) that the user relies on.
func (l *loader) useProfile(store ProfileStore, root string) string {
	p, ok, err := store.Load(root)
	if err != nil {
		l.fail(fmt.Errorf("%w (or start once with --no-profile)", err))
		return ""
	}
	if !ok {
		return ""
	}
	path := store.Path(root)
	l.profile = map[string]raw{}
	for name, v := range p.values() {
		k, _ := Lookup(name)
		l.profile[name] = raw{value: v, from: k.Profile, set: true, file: path}
	}
	for _, r := range p.AllowedRoots {
		l.profileRoots = append(l.profileRoots, raw{value: r, from: "profile " + path + " allowedRoots", set: true})
	}
	if p.Hostname != "" {
		l.profileHostname = raw{value: p.Hostname, from: "hostname", set: true, file: path}
	}
	if p.LegacyToken != "" {
		l.profileLegacyTok = raw{value: p.LegacyToken, from: "profile " + path + " token", set: true, file: path}
	}
	return path
}

// Locate resolves the workspace root (--root, CODEXPRO_ROOT, else the
// working directory) and CODEXPRO_HOME exactly as Load does, for commands
// that manage profiles without loading every setting.
func Locate(rootFlag string, env func(string) (string, bool)) (root, home string, err error) {
	l := &loader{env: env, flags: Flags{}}
	if rootFlag != "" {
		l.flags[kRoot.Name] = []string{rootFlag}
	}
	h := homeDir(env)
	root = l.defaultRoot(h)
	home = l.path(kHome, h, ".codexpro", "")
	if len(l.errs) > 0 {
		return "", "", errors.Join(l.errs...)
	}
	return root, home, nil
}

// NormalizeHostname accepts a public hostname as users paste it ("name",
// "name:port" or "https://name/mcp") and returns "name[:port]".
func NormalizeHostname(v string) (string, bool) { return publicHostname(strings.TrimSpace(v)) }

// HomeOf resolves CODEXPRO_HOME (default ~/.codexpro) as Load does.
func HomeOf(env func(string) (string, bool)) (string, error) {
	l := &loader{env: env}
	home := l.path(kHome, homeDir(env), ".codexpro", "")
	return home, errors.Join(l.errs...)
}
