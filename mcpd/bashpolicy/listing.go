package bashpolicy

import (
	"strings"
	"unicode"
)

// blockedNames turns the blocked globs into single-segment name patterns
// (".git", "*.pem", ".env.*") and multi-segment path patterns
// ("*/.docker/config.json"). Over-matching only hides more.
func blockedNames(globs []string) (names, paths []string) {
	seen := map[string]bool{}
	for _, g := range globs {
		g = strings.TrimPrefix(g, "**/")
		g = strings.TrimSuffix(g, "/**")
		if g == "" || g == "**" || seen[g] {
			continue
		}
		seen[g] = true
		if strings.Contains(g, "/") {
			paths = append(paths, "*/"+g)
		} else {
			names = append(names, g)
		}
	}
	return names, paths
}

// foldCase makes a shell pattern case-insensitive ("[eE][nN][vV]") for
// tools whose matching is case-sensitive, as the guard's is not.
func foldCase(pattern string) string {
	if strings.ContainsAny(pattern, `[\`) {
		return pattern // already a bracket or escape pattern: leave it whole
	}
	var b strings.Builder
	for _, r := range pattern {
		lo, up := unicode.ToLower(r), unicode.ToUpper(r)
		if lo == up {
			b.WriteRune(r)
			continue
		}
		b.WriteString("[" + string(lo) + string(up) + "]")
	}
	return b.String()
}

// lsRule lists with every blocked name ignored (GNU ls --ignore also holds
// under -a and -R), and path-checks the operands.
func lsRule(c *checker, args []string) ([]string, error) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if longAbbrev(a, "dereference") || shortFlag(a, 'L') {
			return nil, refuse(a, "ls %s follows symlinks, with -R out of the workspace", a)
		}
	}
	if err := c.checkArgs(args); err != nil {
		return nil, err
	}
	names, _ := blockedNames(c.policy.Blocked)
	argv := []string{"ls"}
	for _, n := range names {
		argv = append(argv, "--ignore="+foldCase(n))
	}
	return append(argv, args...), nil
}

// findRefused names the primaries and options that run programs, delete
// or write files, follow symlinks out of the workspace, or defeat -prune.
func findRefused(name string) (string, bool) {
	switch name {
	case "exec", "execdir", "ok", "okdir":
		return "runs a program", true
	case "delete":
		return "deletes files", true
	case "fprint", "fprint0", "fprintf", "fls":
		return "writes a file", true
	case "follow", "L", "H":
		return "follows symlinks out of the workspace", true
	case "depth", "d":
		return "would descend into blocked directories (it disables -prune)", true
	}
	return "", false
}

// findGlobal are find options that belong before the expression.
func findGlobal(a string) (takesValue, ok bool) {
	switch a {
	case "-maxdepth", "-mindepth", "-regextype":
		return true, true
	case "-xdev", "-mount", "-noleaf", "-ignore_readdir_race", "-noignore_readdir_race":
		return false, true
	}
	return false, false
}

// findRule runs find as
//
//	find [-P] START... GLOBALS ( BLOCKED ) -prune -o ( EXPR ) [-print]
//
// so blocked directories are never entered and blocked names never shown,
// whatever the user's expression.
func findRule(c *checker, args []string) ([]string, error) {
	for _, a := range args {
		if why, bad := findRefused(strings.TrimLeft(a, "-")); bad && strings.HasPrefix(a, "-") {
			return nil, refuse(a, "find %s %s", a, why)
		}
	}
	if err := c.checkArgs(args); err != nil {
		return nil, err
	}
	argv := []string{"find"}
	if len(args) > 0 && args[0] == "-P" {
		argv, args = append(argv, "-P"), args[1:]
	}
	i := 0
	for i < len(args) && !strings.HasPrefix(args[i], "-") && args[i] != "(" && args[i] != "!" {
		i++
	}
	starts, rest := args[:i], args[i:]
	if len(starts) == 0 {
		starts = []string{"."}
	}
	argv = append(argv, starts...)
	var expr []string
	for j := 0; j < len(rest); j++ {
		if val, ok := findGlobal(rest[j]); ok {
			argv = append(argv, rest[j])
			if val && j+1 < len(rest) {
				j++
				argv = append(argv, rest[j])
			}
			continue
		}
		expr = append(expr, rest[j])
	}
	argv = append(argv, c.findPrune()...)
	if len(expr) > 0 {
		argv = append(append(append(argv, "("), expr...), ")")
	}
	if !findHasAction(expr) {
		argv = append(argv, "-print")
	}
	return argv, nil
}

func (c *checker) findPrune() []string {
	names, paths := blockedNames(c.policy.Blocked)
	if len(names)+len(paths) == 0 {
		return nil
	}
	out := []string{"("}
	for _, n := range names {
		out = append(out, "-iname", n, "-o")
	}
	for _, p := range paths {
		out = append(out, "-ipath", p, "-o")
	}
	out[len(out)-1] = ")"
	return append(out, "-prune", "-o")
}

func findHasAction(expr []string) bool {
	for _, a := range expr {
		switch a {
		case "-print", "-print0", "-printf", "-ls", "-quit":
			return true
		}
	}
	return false
}
