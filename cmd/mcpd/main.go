// Command mcpd is the guarded MCP server: it serves one or more local
// workspaces to MCP clients over Streamable HTTP or stdio.
package main

import (
	"codexpro.dev/pkg/sandbox"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"
	"github.com/rs/zerolog"

	"codexpro.dev/mcpd"
	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/logx"
)

// Exit codes: kong's usage errors keep its 80; invalid settings are 2; a
// server that fails after starting is 1.
const (
	exitOK       = 0
	exitRuntime  = 1
	exitSettings = 2
)

// serveFunc is mcpd.Serve; tests pass a fake to inspect the settings.
type serveFunc func(context.Context, config.Settings, zerolog.Logger) error

func main() {
	sandbox.MaybeExec() // a confined child re-enters here and never returns
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv, mcpd.Serve)
	stop()
	os.Exit(code)
}

// kongExit carries kong's exit code (help, version, usage error) out of
// Parse without ending the process, so run stays testable.
type kongExit struct{ code int }

func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) (string, bool), serve serveFunc) (code int) {
	var cli CLI
	parser, err := kong.New(&cli,
		kong.Name("mcpd"),
		kong.Description("Guarded MCP server for local workspaces. Every flag also has a CODEXPRO_* variable; flags win."),
		kong.UsageOnError(),
		kong.Vars{"version": version()},
		kong.Writers(stdout, stderr),
		kong.Exit(func(c int) { panic(kongExit{c}) }),
	)
	if err != nil {
		fmt.Fprintf(stderr, "mcpd: %v\n", err)
		return exitRuntime
	}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(kongExit)
			if !ok {
				panic(r)
			}
			code = e.code
		}
	}()
	if _, err := parser.Parse(args); err != nil {
		parser.FatalIfErrorf(err)
	}
	settings, err := config.Load(cli.flags(), env)
	if err != nil {
		printErr(stderr, err)
		return exitSettings
	}
	log := logx.New(stderr, settings.LogLevel)
	if err := serve(ctx, settings, log); err != nil && !errors.Is(err, context.Canceled) {
		printErr(stderr, err)
		return exitRuntime
	}
	return exitOK
}

// printErr prints one "mcpd: " line per problem (config.Load joins them).
func printErr(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "mcpd: %s\n", line)
	}
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
