package bashpolicy

import (
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// rule turns the arguments after the command name into the argv to run.
type rule func(c *checker, args []string) ([]string, error)

// commands is the safe-mode allowlist: CodexPro 0.30's verification set
// (tests, builds, linters, type checkers, read-only git, listing) plus
// go build/vet, gofmt -l and make test|check|lint|build|vet.
func commands() map[string]rule {
	return map[string]rule{
		"pwd":     pwdRule,
		"ls":      lsRule,
		"find":    findRule,
		"git":     gitRule,
		"go":      goRule,
		"gofmt":   gofmtRule,
		"cargo":   cargoRule,
		"make":    makeRule,
		"npm":     scriptRunner("npm"),
		"pnpm":    scriptRunner("pnpm"),
		"yarn":    scriptRunner("yarn"),
		"bun":     scriptRunner("bun"),
		"npx":     npxRule,
		"tsc":     nodeTool("tsc"),
		"eslint":  nodeTool("eslint"),
		"biome":   nodeTool("biome"),
		"pytest":  pytestRule,
		"python":  pythonRule("python"),
		"python3": pythonRule("python3"),
		"uv":      uvRule,
	}
}

func allowedNames() string {
	var names []string
	for n := range commands() {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// decideCall expands one simple command and applies its command rule.
func (c *checker) decideCall(call *syntax.CallExpr) ([]string, error) {
	args, err := c.expandWords(call.Args)
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return nil, refuse("", "empty command")
	}
	name := args[0]
	if name.globbed {
		return nil, refuse(name.val, "the command name cannot be a glob")
	}
	if strings.Contains(name.val, "/") {
		return nil, refuse(name.val, "commands run by name from PATH; paths to programs are not allowed in safe mode")
	}
	r, ok := commands()[name.val]
	if !ok {
		return nil, refuse(name.val, "not in the safe-mode allowlist (%s); use the read/search tools for file contents, or --bash full for trusted local automation", allowedNames())
	}
	if err := c.programOutside(name.val); err != nil {
		return nil, err
	}
	rest := make([]string, 0, len(args)-1)
	for _, a := range args[1:] {
		if a.globbed {
			if err := c.checkPath(a.val, a.val); err != nil {
				return nil, err
			}
		}
		rest = append(rest, a.val)
	}
	return r(c, rest)
}

// programOutside refuses a command whose PATH lookup lands inside the
// workspace: a model that can write files could otherwise plant its own
// "git" in a directory that happens to be on mcpd's PATH.
func (c *checker) programOutside(name string) error {
	p, err := exec.LookPath(name)
	if err != nil || c.policy.Root == "" {
		return nil // not found: the run reports it
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	if abs, err := filepath.Abs(p); err == nil && within(c.policy.Root, abs) {
		return refuse(name, "resolves to %s inside the workspace through PATH; remove the workspace from PATH", abs)
	}
	return nil
}

// optName returns an option's name without leading dashes or "=value".
func optName(a string) string {
	n := strings.TrimLeft(a, "-")
	n, _, _ = strings.Cut(n, "=")
	return n
}

// longAbbrev reports whether a is a long option (--x or --x=v) whose name
// is one of names or a prefix of one: getopt_long, git's parse-options and
// Python's argparse all accept unambiguous abbreviations.
func longAbbrev(a string, names ...string) bool {
	if !strings.HasPrefix(a, "--") || len(a) == 2 {
		return false
	}
	n := optName(a)
	for _, want := range names {
		if n != "" && strings.HasPrefix(want, n) {
			return true
		}
	}
	return false
}

// shortFlag reports whether a is a short-option cluster (-xyz) that
// contains letter, which also covers -letter with an attached value.
func shortFlag(a string, letter byte) bool {
	return len(a) >= 2 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a[1:], letter) >= 0
}

func joinCmd(name string, args []string) string {
	return strings.TrimSpace(name + " " + strings.Join(args, " "))
}

func pwdRule(c *checker, args []string) ([]string, error) {
	if len(args) > 0 {
		return nil, refuse(joinCmd("pwd", args), "pwd takes no arguments in safe mode")
	}
	return []string{"pwd"}, nil
}
