package bashpolicy

import "strings"

// pytestRefused: -p loads a plugin (code from anywhere on sys.path) unless
// it disables one (-p no:name); -o/--override-ini can set addopts and
// thereby any option. Short options cluster (-xpNAME) and long options may
// be abbreviated, as argparse allows.
func pytestRefused(args []string) (string, string, bool) {
	const plugin = "pytest -p loads a plugin (only -p no:NAME is allowed)"
	const override = "pytest -o/--override-ini can set any option, including plugins"
	for i, a := range args {
		if a == "--" {
			break
		}
		if longAbbrev(a, "override-ini") {
			return a, override, true
		}
		if longAbbrev(a, "plugin") {
			return a, plugin, true
		}
		if len(a) < 2 || a[0] != '-' || a[1] == '-' {
			continue
		}
		letter, value, ok := shortValue(a[1:], "kmpocWrn")
		if !ok {
			continue
		}
		if value == "" && i+1 < len(args) {
			value = args[i+1]
		}
		switch {
		case letter == 'o':
			return a, override, true
		case letter == 'p' && !strings.HasPrefix(strings.TrimPrefix(value, "="), "no:"):
			return a, plugin, true
		}
	}
	return "", "", false
}

// shortValue walks a short-option cluster and returns the first letter
// that takes a value, with the attached rest of the cluster.
func shortValue(cluster, valued string) (byte, string, bool) {
	for j := 0; j < len(cluster); j++ {
		if strings.IndexByte(valued, cluster[j]) >= 0 {
			return cluster[j], cluster[j+1:], true
		}
	}
	return 0, "", false
}

func pytestRule(c *checker, args []string) ([]string, error) {
	return pytestArgv(c, []string{"pytest"}, args)
}

func pytestArgv(c *checker, prefix, args []string) ([]string, error) {
	if what, why, bad := pytestRefused(args); bad {
		return nil, refuse(what, "%s", why)
	}
	if err := c.checkArgs(args); err != nil {
		return nil, err
	}
	return append(prefix, args...), nil
}

// pythonRule allows exactly "python -m pytest ...".
func pythonRule(py string) rule {
	return func(c *checker, args []string) ([]string, error) {
		if len(args) < 2 || args[0] != "-m" || args[1] != "pytest" {
			return nil, refuse(joinCmd(py, args), "only %s -m pytest is allowed", py)
		}
		return pytestArgv(c, []string{py, "-m", "pytest"}, args[2:])
	}
}

// uvRule allows exactly "uv run pytest ..." (uv options such as --with
// would install packages).
func uvRule(c *checker, args []string) ([]string, error) {
	if len(args) < 2 || args[0] != "run" || args[1] != "pytest" {
		return nil, refuse(joinCmd("uv", args), "only uv run pytest is allowed")
	}
	return pytestArgv(c, []string{"uv", "run", "pytest"}, args[2:])
}
