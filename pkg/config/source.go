package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// raw is one value as given, with the name of the flag or variable it came from.
type raw struct {
	value string
	from  string
	set   bool
	file  string // the profile file the value came from, if it did
}

// loader reads knobs and collects every invalid value, so one run reports
// all the problems instead of the first one.
type loader struct {
	env     func(string) (string, bool)
	flags   Flags
	profile map[string]raw // by setting name; the layer between env and defaults

	profileRoots     []raw // the profile's allowedRoots
	profileHostname  raw   // the profile's public hostname
	profileLegacyTok raw   // a plaintext token from a CodexPro 0.30 profile
	errs             []error
}

func (l *loader) fail(err error) { l.errs = append(l.errs, err) }

// lookup applies flag > env (left to right) > profile. An empty variable counts as
// unset unless keepEmpty: numbers keep it so that `X=""` is an error rather
// than a silent default.
func (l *loader) lookup(k *Setting, keepEmpty bool) raw {
	if v, ok := l.flags.value(k); ok {
		return raw{value: v, from: "--" + k.Name, set: true}
	}
	for _, name := range k.Envs {
		v, ok := l.env(name)
		if !ok || (v == "" && !keepEmpty) {
			continue
		}
		return raw{value: v, from: name, set: true}
	}
	if r, ok := l.profile[k.Name]; ok {
		return r
	}
	return raw{}
}

// invalid builds `CODEXPRO_PORT="abc": want ... (flag --port)`: the name
// that carried the value, the value, what is allowed, and the other name of
// the same setting.
func (k *Setting) invalid(r raw, want string) error {
	if r.file != "" {
		return fmt.Errorf("profile %s: %s=%q: %s; change it with: mcpd settings set --%s VALUE", r.file, r.from, r.value, want, k.Name)
	}
	msg := fmt.Sprintf("%s=%q: %s", r.from, r.value, want)
	switch {
	case strings.HasPrefix(r.from, "--") && len(k.Envs) > 0:
		msg += " (env " + k.Envs[0] + ")"
	case !strings.HasPrefix(r.from, "--") && k.Scope.Has(Serve):
		msg += " (flag --" + k.Name + ")"
	}
	return fmt.Errorf("%s", msg)
}

func (l *loader) str(k *Setting) (string, raw) {
	r := l.lookup(k, false)
	if !r.set {
		return "", r
	}
	return strings.TrimSpace(r.value), r
}

// enum returns the declared default when k is unset.
func (l *loader) enum(k *Setting) string {
	v, r := l.str(k)
	if !r.set {
		return k.Default
	}
	v = strings.ToLower(v)
	if slices.Contains(k.Allowed, v) {
		return v
	}
	l.fail(k.invalid(r, "want one of "+strings.Join(k.Allowed, ", ")))
	return k.Default
}

// integer parses base-10 integers only, within the declared range: "1e3",
// "0x50" and "" are refused, and so is a value out of range, rather than
// silently read or clamped.
func (l *loader) integer(k *Setting) int64 {
	def, _ := strconv.ParseInt(k.Default, 10, 64)
	r := l.lookup(k, true)
	if !r.set {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(r.value), 10, 64)
	if err != nil || n < k.Min || n > k.Max {
		l.fail(k.invalid(r, fmt.Sprintf("want an integer from %d to %d", k.Min, k.Max)))
		return def
	}
	return n
}

func (l *loader) boolean(k *Setting) (bool, raw) {
	def := k.Default == "true"
	r := l.lookup(k, false)
	if !r.set {
		return def, r
	}
	b, ok := parseBool(r.value)
	if !ok {
		l.fail(k.invalid(r, "want 1, true, yes, on, 0, false, no or off"))
		return def, r
	}
	return b, r
}

func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "y", "on":
		return true, true
	case "0", "false", "no", "n", "off":
		return false, true
	}
	return false, false
}

var listSep = regexp.MustCompile(`[,\s]+`)

// list returns the non-empty items of every variable of k, each with the
// name of the variable it came from, after the items of its flag.
func (l *loader) list(k *Setting, sep *regexp.Regexp) []raw {
	var out []raw
	for _, v := range l.flags[k.Name] {
		out = append(out, raw{value: v, from: "--" + k.Name, set: true})
	}
	for _, name := range k.Envs {
		v, ok := l.env(name)
		if !ok {
			continue
		}
		for _, item := range sep.Split(v, -1) {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, raw{value: item, from: name, set: true})
			}
		}
	}
	return out
}
