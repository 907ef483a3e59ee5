package clix

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/alecthomas/kong"
	"github.com/riywo/loginshell"
)

// Completion is the `completion [bash|zsh|fish]` command every CLI embeds.
// The script hands completion back to the binary (kongplete.Complete in
// Parse), so it never goes stale when flags change.
type Completion struct {
	Shell string `arg:"" optional:"" enum:"bash,zsh,fish," default:"" help:"bash, zsh or fish (default: your login shell)."`
}

var completionScripts = map[string]string{
	"bash": "complete -C ${bin} ${cmd}\n",
	"zsh":  "autoload -U +X bashcompinit && bashcompinit\ncomplete -C ${bin} ${cmd}\n",
	"fish": `function __complete_${cmd}
    set -lx COMP_LINE (commandline -cp)
    test -z (commandline -ct)
    and set COMP_LINE "$COMP_LINE "
    ${bin}
end
complete -f -c ${cmd} -a "(__complete_${cmd})"
`,
}

// AfterApply prints the script for the shell and ends parsing, as --help
// does, so every CLI gets the command without dispatching it.
func (c *Completion) AfterApply(ctx *kong.Context) error {
	shell := c.Shell
	if shell == "" {
		login, err := loginshell.Shell()
		if err != nil {
			return fmt.Errorf("cannot tell your shell (%w): name it, e.g. %s completion zsh", err, ctx.Model.Name)
		}
		shell = filepath.Base(login)
	}
	script, ok := completionScripts[shell]
	if !ok {
		return fmt.Errorf("no completion for shell %q: use bash, zsh or fish", shell)
	}
	bin, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locate this binary: %w", err)
	}
	vars := map[string]string{"cmd": ctx.Model.Name, "bin": bin}
	fmt.Fprint(ctx.Stdout, os.Expand(script, func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return "$" + k
	}))
	ctx.Exit(0)
	return nil
}
