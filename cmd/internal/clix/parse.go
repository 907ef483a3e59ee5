// Package clix holds what the mcpd, handoff and tunnelctl CLIs share:
// parsing without exiting, shell completion, and the version string.
package clix

import (
	"github.com/alecthomas/kong"
	"github.com/willabides/kongplete"
)

// UsageExit is kong's exit status for a usage error.
const UsageExit = 80

// exit carries kong's exit code out of Parse instead of ending the process.
type exit struct{ code int }

// Parse builds a kong parser for cli and parses args without ever ending
// the process, so a CLI stays testable: help, --version and usage errors
// come back as exited=true with the status kong chose (usage errors are
// printed with the usage first).
func Parse(cli any, args []string, opts ...kong.Option) (kctx *kong.Context, code int, exited bool, err error) {
	parser, err := kong.New(cli, append(opts, kong.Exit(func(c int) { panic(exit{c}) }))...)
	if err != nil {
		return nil, 0, false, err
	}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(exit)
			if !ok {
				panic(r)
			}
			kctx, code, exited, err = nil, e.code, true, nil
		}
	}()
	// Shell completion: a no-op unless the shell set COMP_LINE, then it
	// prints the candidates and exits through kong.Exit like --help.
	kongplete.Complete(parser)
	kctx, perr := parser.Parse(args)
	if perr != nil {
		parser.FatalIfErrorf(perr)
	}
	return kctx, 0, false, nil
}
