package bashpolicy

import "strings"

// goRefused names go flags that run another program or pass arbitrary
// flags to the linker (which can name an external linker). The go flag
// parser takes -name and --name alike and does not abbreviate.
func goRefused(a string) (string, bool) {
	if !strings.HasPrefix(a, "-") {
		return "", false
	}
	switch optName(a) {
	case "exec", "toolexec", "vettool":
		return "runs a program of your choice", true
	case "ldflags", "gccgoflags":
		return "passes flags to the linker, which can run an external program", true
	}
	return "", false
}

// goRule allows go test, go build and go vet. Flags that name files (-o,
// -coverprofile, -modfile, -C, ...) are path-checked like any argument.
func goRule(c *checker, args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, refuse("go", "allowed: go test, go build, go vet")
	}
	switch args[0] {
	case "test", "build", "vet":
	default:
		return nil, refuse(joinCmd("go", args), "go %s is not allowed in safe mode (allowed: go test, go build, go vet)", args[0])
	}
	for _, a := range args[1:] {
		if why, bad := goRefused(a); bad {
			return nil, refuse(a, "go %s %s %s", args[0], a, why)
		}
	}
	if err := c.checkArgs(args[1:]); err != nil {
		return nil, err
	}
	return append([]string{"go"}, args...), nil
}

// gofmtRule allows reporting only: -w would rewrite files.
func gofmtRule(c *checker, args []string) ([]string, error) {
	for _, a := range args {
		if strings.HasPrefix(a, "-") && optName(a) == "w" {
			return nil, refuse(a, "gofmt -w rewrites files; use gofmt -l or -d")
		}
	}
	if err := c.checkArgs(args); err != nil {
		return nil, err
	}
	return append([]string{"gofmt"}, args...), nil
}

// cargoRule allows test, check, clippy and build. --config and -Z can set
// a rustc wrapper or linker (a program to run); +toolchain may download.
func cargoRule(c *checker, args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, refuse("cargo", "allowed: cargo test, cargo check, cargo clippy, cargo build")
	}
	switch args[0] {
	case "test", "check", "clippy", "build":
	default:
		return nil, refuse(joinCmd("cargo", args), "cargo %s is not allowed in safe mode (allowed: test, check, clippy, build)", args[0])
	}
	for _, a := range args[1:] {
		switch {
		case a == "--":
		case longAbbrev(a, "config") || shortFlag(a, 'Z'):
			return nil, refuse(a, "cargo %s can configure a program to run (rustc wrapper, linker)", a)
		case longAbbrev(a, "fix", "allow-dirty", "allow-staged"):
			return nil, refuse(a, "cargo %s rewrites files", a)
		}
	}
	if err := c.checkArgs(args[1:]); err != nil {
		return nil, err
	}
	return append([]string{"cargo"}, args...), nil
}

// makeTargets are the verification targets make may run.
func makeTarget(t string) bool {
	switch t {
	case "test", "check", "lint", "build", "vet":
		return true
	}
	return false
}

// makeRule allows make with verification targets and -j/-k/-s only:
// variables (NAME=value) could override SHELL or recipes, and -f/-C/-I
// would read a Makefile from elsewhere.
func makeRule(c *checker, args []string) ([]string, error) {
	targets := 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-j" && i+1 < len(args) && isNumber(args[i+1]):
			i++
		case strings.HasPrefix(a, "-j") && isNumber(a[2:]), a == "-j",
			a == "-k", a == "--keep-going", a == "-s", a == "--silent":
		case strings.HasPrefix(a, "-"):
			return nil, refuse(a, "make %s is not allowed in safe mode (allowed options: -j N, -k, -s)", a)
		case strings.Contains(a, "="):
			return nil, refuse(a, "make variable overrides are not allowed: they can replace SHELL or recipes")
		case makeTarget(a):
			targets++
		default:
			return nil, refuse(a, "make target %s is not allowed (allowed: test, check, lint, build, vet)", a)
		}
	}
	if targets == 0 {
		return nil, refuse(joinCmd("make", args), "name a target: make test, check, lint, build or vet")
	}
	return append([]string{"make"}, args...), nil
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
