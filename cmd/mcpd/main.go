// Command mcpd is the guarded MCP server: it serves one or more local
// workspaces to MCP clients over Streamable HTTP or stdio.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"
	"github.com/rs/zerolog"

	"codexpro.dev/cmd/internal/clix"
	"codexpro.dev/mcpd"
	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/logx"
	"codexpro.dev/pkg/sandbox"
	"codexpro.dev/pkg/tty"
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
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, env: os.LookupEnv, serve: mcpd.Serve,
		tty: tty.IsTerminal(os.Stdin) && tty.IsTerminal(os.Stdout), exeDir: exeDir()}
	code := a.run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// app is one invocation's world: streams, environment and the server to
// run, so tests can supply their own.
type app struct {
	stdin          io.Reader
	in             *bufio.Reader
	stdout, stderr io.Writer
	env            func(string) (string, bool)
	serve          serveFunc
	tty            bool                                  // stdin and stdout are terminals: prompts allowed
	exeDir         string                                // where mcpd's sibling binaries should be
	landlock       func() (abi int, ok bool, why string) // nil: sandbox.Available
}

func exeDir() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	return filepath.Dir(exe)
}

// run is a non-interactive invocation without sibling binaries.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) (string, bool), serve serveFunc) int {
	a := &app{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, env: env, serve: serve}
	return a.run(ctx, args)
}

func (a *app) run(ctx context.Context, args []string) int {
	cli := newCLI()
	kctx, code, exited, err := clix.Parse(cli, args,
		kong.Name("mcpd"),
		kong.Description("Guarded MCP server for local workspaces. Every flag also has a CODEXPRO_* variable; flags win."),
		kong.UsageOnError(),
		kong.Help(helpWithServeFlags),
		kong.Vars{"version": version()},
		kong.Writers(a.stdout, a.stderr),
	)
	switch {
	case err != nil:
		fmt.Fprintf(a.stderr, "mcpd: %v\n", err)
		return exitRuntime
	case exited:
		return code
	}
	for _, d := range []*Declared{&cli.Serve.Declared, &cli.Doctor.Declared, &cli.Settings.Set.Declared} {
		d.capture(kctx)
	}
	switch kctx.Command() {
	case "settings show":
		return a.exit(a.settingsShow(&cli.Settings.Show))
	case "settings list":
		return a.exit(a.settingsList(&cli.Settings.List))
	case "settings set":
		return a.exit(a.settingsSet(&cli.Settings.Set))
	case "settings use":
		return a.exit(a.settingsUse(&cli.Settings.Use))
	case "settings delete":
		return a.exit(a.settingsDelete(&cli.Settings.Delete))
	case "doctor":
		return a.doctor(ctx, &cli.Doctor)
	case "auth list":
		return a.exit(a.authList(&cli.Auth.List))
	case "auth revoke <id>":
		return a.exit(a.authRevoke(&cli.Auth.Revoke))
	case "inspect":
		return a.exitRuntime(a.inspect(ctx, &cli.Inspect))
	case "review":
		return a.exitRuntime(a.review(ctx, &cli.Review))
	case "version":
		fmt.Fprintln(a.stdout, version())
		return exitOK
	}
	return a.runServe(ctx, &cli.Serve)
}

func (a *app) runServe(ctx context.Context, c *ServeCmd) int {
	settings, err := config.Load(c.flags(), a.env)
	if err != nil {
		printErr(a.stderr, err)
		return exitSettings
	}
	log := logx.New(a.stderr, settings.LogLevel)
	if err := a.serve(ctx, settings, log); err != nil && !errors.Is(err, context.Canceled) {
		printErr(a.stderr, err)
		return exitRuntime
	}
	return exitOK
}

// helpWithServeFlags adds the serve flags to `mcpd --help`: plain `mcpd`
// serves, so its flags belong on the first page a user reads.
func helpWithServeFlags(options kong.HelpOptions, ctx *kong.Context) error {
	if err := kong.DefaultHelpPrinter(options, ctx); err != nil || ctx.Selected() != nil {
		return err
	}
	serve, err := kong.Trace(ctx.Kong, []string{"serve"})
	if err != nil {
		return err
	}
	fmt.Fprintln(ctx.Stdout, "\nServing (the default command; `mcpd` is `mcpd serve`):")
	return kong.DefaultHelpPrinter(options, serve)
}

// exit prints err and maps it to the settings exit code.
func (a *app) exit(err error) int {
	if err != nil {
		printErr(a.stderr, err)
		return exitSettings
	}
	return exitOK
}

// exitRuntime prints err and maps it to the runtime exit code.
func (a *app) exitRuntime(err error) int {
	if err != nil {
		printErr(a.stderr, err)
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

// version is the module version and, when the build recorded it, the
// commit: doctor compares the same stamp across the sibling binaries.
func version() string { return clix.Version() }
