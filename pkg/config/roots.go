package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// rootSep splits CODEXPRO_ALLOWED_ROOTS like PATH.
var rootSep = regexp.MustCompile(regexp.QuoteMeta(string(os.PathListSeparator)))

// defaultRoot resolves --root, CODEXPRO_ROOT or the working directory to a
// real directory. It never comes from a profile: the root picks the profile.
func (l *loader) defaultRoot(home string) string {
	r := l.lookup(kRoot, false)
	if !r.set {
		cwd, err := os.Getwd()
		if err != nil {
			l.fail(fmt.Errorf("default root (no --root or CODEXPRO_ROOT): %w", err))
			return ""
		}
		r = raw{value: cwd, from: "current directory", set: true}
	}
	return l.realDir(r, home)
}

// allowedRoots resolves every allowed root to a real directory. The list is
// a union (flags, variables, the profile's allowedRoots, then home), as
// CodexPro 0.30 does, with the default root first.
func (l *loader) allowedRoots(home, root string) (allowed []string, allowHome bool) {
	candidates := l.list(kAllowRoot, rootSep)
	candidates = append(candidates, l.profileRoots...)
	allowHome, hr := l.boolean(kAllowHome)
	if allowHome {
		candidates = append(candidates, raw{value: home, from: hr.from + " (home directory)", set: true})
	}
	if root != "" {
		allowed = append(allowed, root)
	}
	for _, c := range candidates {
		if dir := l.realDir(c, home); dir != "" && !slices.Contains(allowed, dir) {
			allowed = append(allowed, dir)
		}
	}
	return allowed, allowHome
}

// realDir returns the real absolute path of an existing directory, or ""
// after recording an error that names where the path came from.
func (l *loader) realDir(r raw, home string) string {
	p, err := filepath.Abs(expandHome(strings.TrimSpace(r.value), home))
	if err == nil {
		p, err = filepath.EvalSymlinks(p)
	}
	if err != nil {
		if os.IsNotExist(err) {
			l.fail(fmt.Errorf("%s %q: directory does not exist", r.from, r.value))
		} else {
			l.fail(fmt.Errorf("%s %q: %w", r.from, r.value, err))
		}
		return ""
	}
	info, err := os.Stat(p)
	if err != nil {
		l.fail(fmt.Errorf("%s %q: %w", r.from, r.value, err))
		return ""
	}
	if !info.IsDir() {
		l.fail(fmt.Errorf("%s %q: not a directory", r.from, r.value))
		return ""
	}
	return p
}

// path resolves an optional path setting: ~ expands to home, a relative
// value is taken from base (or the working directory when base is "").
func (l *loader) path(k *Setting, home, homeChild, base string) string {
	v, r := l.str(k)
	if !r.set {
		return filepath.Join(home, homeChild)
	}
	v = expandHome(v, home)
	if !filepath.IsAbs(v) && base != "" {
		v = filepath.Join(base, v)
	}
	abs, err := filepath.Abs(v)
	if err != nil {
		l.fail(k.invalid(r, err.Error()))
		return ""
	}
	return abs
}

// expandHome expands "~" and "~/x" only; "~user" is left alone, as CodexPro 0.30 does.
func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(home, p[2:])
	}
	return p
}
