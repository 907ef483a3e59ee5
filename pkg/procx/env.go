package procx

import (
	"os"
	"path/filepath"
	"strings"
)

// defaultPath is used when the parent has no PATH at all.
const defaultPath = "/usr/local/bin:/usr/bin:/bin"

// passThrough names variables a scrubbed child still gets from the parent:
// locale and toolchain locations that builds need and that carry no
// credentials. GOPROXY, npm and cloud variables are left out on purpose
// because they can embed tokens.
func passThrough() []string {
	return []string{
		"LANG", "LC_ALL", "LC_CTYPE", "TZ",
		"GOROOT", "GOPATH", "GOCACHE", "GOMODCACHE", "GOTOOLCHAIN", "GOFLAGS",
		"CARGO_HOME", "RUSTUP_HOME", "JAVA_HOME",
	}
}

// Env builds a child environment. With inherit the parent environment is
// copied whole; otherwise only PATH, HOME, USER, SHELL, TMPDIR, locale and
// toolchain locations survive. Both get TERM=dumb, NO_COLOR=1 and CI so
// tools do not prompt or paint. extra ("KEY=VALUE") overrides everything.
func Env(inherit bool, extra ...string) []string {
	var base []string
	if inherit {
		base = os.Environ()
	} else {
		base = scrubbed()
	}
	ci := "1"
	if v, ok := os.LookupEnv("CI"); ok && inherit && v != "" {
		ci = v
	}
	base = append(base, "TERM=dumb", "NO_COLOR=1", "CI="+ci)
	return merge(append(base, extra...))
}

func scrubbed() []string {
	env := []string{"PATH=" + orDefault(os.Getenv("PATH"), defaultPath)}
	if home := usableDir(os.Getenv("HOME")); home != "" {
		env = append(env, "HOME="+home)
	}
	env = append(env, "USER="+os.Getenv("USER"))
	env = append(env, "SHELL="+orDefault(os.Getenv("SHELL"), "/bin/bash"))
	tmp := usableDir(os.Getenv("TMPDIR"))
	if tmp == "" {
		tmp = os.TempDir()
	}
	env = append(env, "TMPDIR="+tmp)
	for _, k := range passThrough() {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// usableDir accepts only an absolute path to an existing directory, so a
// junk HOME such as "=" never reaches a child.
func usableDir(p string) string {
	if p == "" || !filepath.IsAbs(p) {
		return ""
	}
	if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
		return ""
	}
	return filepath.Clean(p)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// merge keeps the last value of every key, in first-seen order.
func merge(env []string) []string {
	idx := map[string]int{}
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := idx[k]; ok {
			out[i] = kv
			continue
		}
		idx[k] = len(out)
		out = append(out, kv)
	}
	return out
}
