package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// knob names one setting the way users meet it: its flag (may be empty)
// and its environment variables, the preferred name first, legacy aliases after.
type knob struct {
	flag string
	envs []string
}

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
	profile map[string]raw // by flag name; the layer between env and defaults

	profileRoots     []raw // the profile's allowedRoots
	profileHostname  raw   // the profile's public hostname
	profileLegacyTok raw   // a plaintext token from a reference profile
	errs             []error
}

func (l *loader) fail(err error) { l.errs = append(l.errs, err) }

// lookup applies flag > env (left to right) > profile. An empty variable counts as
// unset unless keepEmpty: numbers keep it so that `X=""` is an error rather
// than a silent default.
func (l *loader) lookup(k knob, flagValue string, flagSet, keepEmpty bool) raw {
	if flagSet {
		return raw{value: flagValue, from: "--" + k.flag, set: true}
	}
	for _, name := range k.envs {
		v, ok := l.env(name)
		if !ok || (v == "" && !keepEmpty) {
			continue
		}
		return raw{value: v, from: name, set: true}
	}
	if r, ok := l.profile[k.flag]; ok && k.flag != "" {
		return r
	}
	return raw{}
}

// invalid builds `CODEXPRO_PORT="abc": want ... (flag --port)`: the name
// that carried the value, the value, what is allowed, and the other name of
// the same setting.
func (k knob) invalid(r raw, want string) error {
	if r.file != "" {
		flag := k.flag
		if flag == "" {
			flag = r.from
		}
		return fmt.Errorf("profile %s: %s=%q: %s; change it with: mcpd settings set --%s VALUE", r.file, r.from, r.value, want, flag)
	}
	msg := fmt.Sprintf("%s=%q: %s", r.from, r.value, want)
	switch {
	case strings.HasPrefix(r.from, "--") && len(k.envs) > 0:
		msg += " (env " + k.envs[0] + ")"
	case !strings.HasPrefix(r.from, "--") && k.flag != "":
		msg += " (flag --" + k.flag + ")"
	}
	return fmt.Errorf("%s", msg)
}

func (l *loader) str(k knob, flagValue, def string) (string, raw) {
	r := l.lookup(k, flagValue, flagValue != "", false)
	if !r.set {
		return def, r
	}
	return strings.TrimSpace(r.value), r
}

func (l *loader) enum(k knob, flagValue, def string, allowed ...string) string {
	v, r := l.str(k, flagValue, def)
	if !r.set {
		return def
	}
	v = strings.ToLower(v)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	l.fail(k.invalid(r, "want one of "+strings.Join(allowed, ", ")))
	return def
}

// integer parses base-10 integers only: CodexPro 0.30's Number() accepted
// "1e3", "0x50" and "" and clamped out-of-range values without a word.
func (l *loader) integer(k knob, flagValue string, def, lo, hi int64) int64 {
	r := l.lookup(k, flagValue, flagValue != "", true)
	if !r.set {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(r.value), 10, 64)
	if err != nil || n < lo || n > hi {
		l.fail(k.invalid(r, fmt.Sprintf("want an integer from %d to %d", lo, hi)))
		return def
	}
	return n
}

func (l *loader) boolean(k knob, flagValue *bool, def bool) (bool, raw) {
	if flagValue != nil {
		return *flagValue, raw{value: strconv.FormatBool(*flagValue), from: "--" + k.flag, set: true}
	}
	r := l.lookup(k, "", false, false)
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
// name of the variable it came from.
func (l *loader) list(k knob, sep *regexp.Regexp) []raw {
	var out []raw
	for _, name := range k.envs {
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
