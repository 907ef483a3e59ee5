// Command handoff runs a local coding agent on the plan ChatGPT wrote to
// .ai-bridge/current-plan.md: execute (once), watch (whenever it changes)
// or loop (executor, tests and a reviewer until the reviewer passes).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"

	"codexpro.dev/cmd/internal/clix"
	"codexpro.dev/handoff"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/sandbox"
)

func main() {
	// A custom --command run under --sandbox re-executes this binary
	// through the sandbox entry point first.
	sandbox.MaybeExec()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitCode is an error that carries a process exit code.
type exitCode struct {
	code int
	err  error
}

func (e exitCode) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// run parses args and runs the command; it returns the exit code: 0 on
// success (a PASS for loop), 80 for usage errors, else the command's code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var cli CLI
	kctx, code, exited, err := clix.Parse(&cli, args, kong.Name("handoff"),
		kong.Description("Run local coding agents on .ai-bridge/current-plan.md, with a reviewer loop."),
		kong.UsageOnError(), kong.Writers(stdout, stderr),
		kong.Vars{"version": clix.Version(), "default_agent": bridge.DefaultAgent},
		kong.Bind(&ioSet{Stdin: stdin, Stdout: stdout, Stderr: stderr}),
		kong.BindTo(ctx, (*context.Context)(nil)))
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "handoff: %v\n", err)
		return 1
	case exited:
		return code
	}
	err = kctx.Run()
	var ec exitCode
	switch {
	case ctx.Err() != nil || errors.Is(err, handoff.ErrInterrupted):
		// Ctrl-C: one word, the shell's code, not the child's rpc error.
		fmt.Fprintln(stderr, "handoff: interrupted")
		return handoff.ExitInterrupted
	case errors.As(err, &ec):
		if ec.err != nil {
			fmt.Fprintf(stderr, "handoff: %v\n", ec.err)
		}
		return ec.code
	case err != nil:
		fmt.Fprintf(stderr, "handoff: %v\n", err)
		return 1
	}
	return 0
}
