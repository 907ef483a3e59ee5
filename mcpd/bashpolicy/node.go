package bashpolicy

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// scriptName matches the package scripts safe mode runs: test, typecheck,
// lint, build and check, with ":suffix" variants (build:clients).
var scriptName = regexp.MustCompile(`^(test|typecheck|lint|build|check)(:[A-Za-z0-9._-]+)*$`)

// scriptRunner allows "<pm> test" and "<pm> run <script>" with no package
// manager options (--prefix, --workspace, --global and friends change what
// runs or where); arguments after "--" go to the script and are checked.
// Package scripts are workspace code: see the package documentation.
func scriptRunner(pm string) rule {
	return func(c *checker, args []string) ([]string, error) {
		if len(args) == 0 {
			return nil, refuse(pm, "allowed: %[1]s test, %[1]s run test|typecheck|lint|build|check[:name]", pm)
		}
		rest := args[1:]
		switch {
		case args[0] == "test":
		case args[0] == "run" && len(args) >= 2 && scriptName.MatchString(args[1]):
			rest = args[2:]
		default:
			return nil, refuse(joinCmd(pm, args), "only %[1]s test and %[1]s run test|typecheck|lint|build|check[:name] are allowed (install, exec, publish and other scripts are not)", pm)
		}
		if len(rest) > 0 && rest[0] != "--" {
			return nil, refuse(joinCmd(pm, args), "%s options are not allowed in safe mode; pass script arguments after --", pm)
		}
		if err := c.checkArgs(rest); err != nil {
			return nil, err
		}
		return append([]string{pm}, args...), nil
	}
}

// npxRule runs a locally installed tool only. npx would otherwise download
// and run a package from the registry (without asking when CI=1), so the
// tool must exist in node_modules/.bin of cwd or an ancestor inside the
// workspace, and it is executed from there directly.
func npxRule(c *checker, args []string) ([]string, error) {
	if len(args) > 0 && (args[0] == "--no-install" || args[0] == "--no") {
		args = args[1:]
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return nil, refuse(joinCmd("npx", args), "npx options are not allowed; use npx TOOL with tsc, eslint or biome")
	}
	tool := args[0]
	switch tool {
	case "tsc", "eslint", "biome":
	default:
		return nil, refuse(joinCmd("npx", args), "npx %s is not allowed (allowed: npx tsc, npx eslint, npx biome)", tool)
	}
	bin, ok := c.localBin(tool)
	if !ok {
		return nil, refuse(joinCmd("npx", args), "npx would download %s from the registry: it is not installed in node_modules/.bin; install it first", tool)
	}
	argv, err := nodeTool(tool)(c, args[1:])
	if err != nil {
		return nil, err
	}
	argv[0] = bin
	return argv, nil
}

// localBin finds node_modules/.bin/tool from cwd up to the workspace root.
func (c *checker) localBin(tool string) (string, bool) {
	if c.policy.Root == "" {
		return "", false
	}
	dir := c.cwd
	for {
		p := filepath.Join(c.policy.Root, filepath.FromSlash(dir), "node_modules", ".bin", tool)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, true
		}
		if dir == "." {
			return "", false
		}
		dir = path.Dir(dir)
	}
}

// nodeTool applies the per-tool option rules of tsc, eslint and biome.
func nodeTool(tool string) rule {
	return func(c *checker, args []string) ([]string, error) {
		if tool == "biome" {
			if len(args) == 0 || (args[0] != "check" && args[0] != "lint" && args[0] != "ci") {
				return nil, refuse(joinCmd("biome", args), "allowed: biome check, biome lint, biome ci")
			}
		}
		for _, a := range args {
			if (tool == "eslint" && longAbbrevExact(a, "fix")) ||
				(tool == "biome" && longAbbrev(a, "write", "fix", "apply", "apply-unsafe", "unsafe")) {
				return nil, refuse(a, "%s %s rewrites files", tool, a)
			}
		}
		if err := c.checkArgs(args); err != nil {
			return nil, err
		}
		return append([]string{tool}, args...), nil
	}
}

// longAbbrevExact matches --name and --name=v only: eslint's --fix-dry-run
// and --fix-type are harmless.
func longAbbrevExact(a, name string) bool {
	return strings.HasPrefix(a, "--") && optName(a) == name
}
