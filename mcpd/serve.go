package mcpd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/admin"
	"codexpro.dev/mcpd/httpd"
	"codexpro.dev/mcpd/importnet"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/mcpd/tools"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/redact"
	"codexpro.dev/pkg/sandbox"
	"codexpro.dev/pkg/tty"
	"codexpro.dev/pkg/workspace"
)

// Serve runs mcpd with s until ctx ends. stdout belongs to the stdio
// transport; everything for the user goes to stderr.
func Serve(ctx context.Context, s config.Settings, log zerolog.Logger) error {
	env, err := NewEnv(s, log)
	if err != nil {
		return err
	}
	defer env.Roots.Close()
	reportSandbox(s, env, log)
	log.Info().Str("root", s.Root).Strs("allowed_roots", s.AllowedRoots).Str("transport", s.Transport).
		Str("mode", s.Mode).Str("write", s.WriteMode).Str("tools", s.ToolMode).Str("bash", s.BashMode).
		Int("tool_count", len(tools.All().Visible(env.Cfg))).Msg("mcpd starting")
	if s.Transport == "stdio" {
		return ServeStdio(ctx, NewMCPServer(env), os.Stdin, os.Stdout, log)
	}
	return serveHTTP(ctx, s, env, log, os.Stderr, tty.IsTerminal(os.Stderr))
}

// NewEnv opens the allowed roots and builds what tool handlers share.
func NewEnv(s config.Settings, log zerolog.Logger) (*toolkit.Env, error) {
	bl, err := workspace.NewBlocklist(s.BlockedGlobs)
	if err != nil {
		return nil, err
	}
	if err := bridge.ContextDirLinks(s.Root, s.ContextDir); err != nil {
		return nil, err
	}
	roots, err := workspace.NewRoots(s.AllowedRoots, bl, workspace.Limits{MaxReadBytes: s.MaxReadBytes})
	if err != nil {
		return nil, err
	}
	return &toolkit.Env{Cfg: toolConfig(s), Roots: roots, Redact: redactor{}, Log: log, LogCalls: s.LogRequests}, nil
}

func toolConfig(s config.Settings) toolkit.Config {
	return toolkit.Config{
		Mode: s.Mode, ToolMode: s.ToolMode, WriteMode: s.WriteMode, BashMode: s.BashMode,
		CodexSessions: s.CodexSessions, ConnectionTest: s.ConnectionTest, ToolCards: s.ToolCards, WidgetDomain: s.WidgetDomain, Analysis: s.Analysis,
		MaxReadBytes: s.MaxReadBytes, MaxWriteBytes: s.MaxWriteBytes, MaxOutputBytes: s.MaxOutputBytes,
		MaxSearchResults: s.MaxSearchResults, ContextDir: s.ContextDir, Public: s.Public(),
		MaxImportBytes: s.MaxImportBytes, CodexDir: s.CodexDir, UserHome: userHome(),
		Import: importnet.Config{AllowedHosts: s.ImportAllowedHosts, AllowLoopback: s.ImportAllowLoopback,
			TestCAFile: s.ImportTestCAFile},
		Bash: toolkit.BashConfig{Transcript: s.BashTranscript, Session: s.BashSession, RequireSession: s.RequireBashSession,
			Sandbox: s.Sandbox, SandboxNet: s.SandboxNet, InheritEnv: s.InheritEnv, MaxTimeoutMs: s.MaxBashTimeoutMs,
			BlockedGlobs: s.BlockedGlobs},
	}
}

// reportSandbox says in server_config and the startup log whether bash
// children will really be confined, and warns about credentials an allowed
// root exposes anyway (Landlock cannot carve holes into an allowed tree).
func reportSandbox(s config.Settings, env *toolkit.Env, log zerolog.Logger) {
	pol := sandbox.Policy{Mode: s.Sandbox, Workspace: s.Root, Net: s.SandboxNet}
	active, why := pol.Active()
	env.Cfg.Public["sandboxActive"], env.Cfg.Public["sandboxState"] = active, why
	log.Info().Bool("sandbox_active", active).Str("sandbox", why).Msg("bash sandbox")
	home, _ := os.UserHomeDir()
	for _, root := range s.AllowedRoots {
		pol.Workspace = root
		if exposed := pol.Exposed(home); len(exposed) > 0 {
			log.Warn().Strs("paths", exposed).Str("root", root).Msg("an allowed root contains credentials the sandbox cannot hide from bash")
		}
	}
}

// userHome is where user-level skills and MCP configs live; "" (unknown)
// skips them rather than guessing.
func userHome() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return h
}

// redactor adapts pkg/redact to the tools' Redactor interface.
type redactor struct{}

func (redactor) Text(s string) string                   { return redact.Text(s) }
func (redactor) Value(v any) any                        { return redact.Value(v) }
func (redactor) Marshal(v any) (json.RawMessage, error) { return redact.Marshal(v) }
func (redactor) HasSecret(s string) (string, bool)      { return redact.HasSecret(s) }
func (redactor) Changes(before, after string) (string, bool) {
	return redact.Changes(before, after)
}

// serveHTTP serves until ctx ends. tty says out is the user's own terminal,
// where a saved profile's token may be shown inside the URLs it opens.
func serveHTTP(ctx context.Context, s config.Settings, env *toolkit.Env, log zerolog.Logger, out io.Writer, tty bool) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)))
	if err != nil {
		return listenError(s, err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	sessions := httpd.NewSessions()
	endpoint := httpd.NewEndpoint(NewMCPServer(env, sessions.Hook), sessions, log, s.HTTPSessionTTL)
	defer endpoint.Shutdown(context.WithoutCancel(ctx))
	opts := httpd.Options{
		Token: s.Token, NoAuth: s.NoAuth, BindHost: s.Host, Port: port,
		PublicHosts: s.PublicHostnames, AllowedOrigins: s.AllowedOrigins, Log: requestLog(s, log),
		Health: func() any { return health(s) },
	}
	var grants admin.Grants
	if s.Auth == "oauth" {
		srv, store, err := newOAuth(s, out)
		if err != nil {
			ln.Close()
			return err
		}
		opts.OAuth, grants = srv, store
	}
	guard := httpd.Handler(sessions.Limit(s.MaxHTTPSessions, endpoint), opts)
	page, err := admin.New(admin.Options{Settings: s, Port: port, Landlock: sandbox.Available, Log: log, Grants: grants})
	if err != nil {
		ln.Close()
		return err
	}
	page.Mount(guard)
	hs := httpd.Server(guard, ln.Addr().String())
	announce(out, s, port, tty)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down http: %w", err)
	}
	fmt.Fprintf(out, "\nmcpd stopped; %s is no longer served.\n", s.Root)
	return nil
}

// listenError names the fix for the usual failure, a port in use.
func listenError(s config.Settings, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("port %d on %s is already in use (another mcpd?): stop that program, or pick another port with --port N, or --port 0 for a free one (make run PORT=0)", s.Port, s.Host)
	}
	return fmt.Errorf("listen on %s:%d (--host/--port): %w", s.Host, s.Port, err)
}

// requestLog logs every request only with CODEXPRO_LOG_REQUESTS=1 (as the
// reference); refused requests are warnings and are always logged.
func requestLog(s config.Settings, log zerolog.Logger) zerolog.Logger {
	if s.LogRequests || log.GetLevel() >= zerolog.WarnLevel {
		return log
	}
	return log.Level(zerolog.WarnLevel)
}

func health(s config.Settings) map[string]any {
	return map[string]any{"ok": true, "name": "CodexPro", "version": Version, "mode": s.Mode,
		"writeMode": s.WriteMode, "toolMode": s.ToolMode, "bashMode": s.BashMode, "authEnabled": s.Token != ""}
}

// announce tells the user how to connect and what to do next. The token
// is printed in full only inside the URLs that open the server, and only
// when mcpd generated it (nobody else knows it) or when it is the saved
// profile's and a person reads a loopback server's terminal: the same user
// can read the token file anyway. A token given by flag or variable is
// never echoed.
func announce(out io.Writer, s config.Settings, port int, tty bool) {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(port))
	fmt.Fprintf(out, "CODEXPRO_LISTEN http://%s/mcp\n", addr)
	switch {
	case s.Auth == "oauth":
		fmt.Fprintf(out, "\nmcpd is serving %s with OAuth sign-in (--auth oauth).\nConnector URL (no secret in it; choose OAuth as the authentication):\n  http://%s/mcp\n"+
			"When a client connects, mcpd prints a pairing code here; type it on the approval page that opens.\n",
			s.Root, addr)
	case s.NoAuth:
		fmt.Fprintf(out, "\nmcpd is serving %s WITHOUT authentication (--no-auth, loopback only).\n", s.Root)
	case s.TokenSource == "generated" || (s.TokenSource == "profile" && tty && config.IsLoopback(s.Host)):
		what := "contains a fresh token"
		if s.TokenSource == "profile" {
			what = "contains the saved profile's token; it stays the same across restarts"
		}
		fmt.Fprintf(out, "\nmcpd is serving %s\n\nConnector URL (%s; treat it like a password):\n  %s\n",
			s.Root, what, httpd.ConnectorURL(s.Host, port, s.Token))
		fmt.Fprintf(out, "Admin page (same token; it moves into a cookie and leaves the address bar):\n  %s\n",
			adminURL(s.Host, port, s.Token))
	default:
		fmt.Fprintf(out, "\nmcpd is serving %s\nConnect to http://%s/mcp with the token from %s (Authorization: Bearer, or ?codexpro_token=).\n",
			s.Root, addr, tokenOrigin(s.TokenSource))
		fmt.Fprintf(out, "Admin page: http://%s/?%s=<token>\n", addr, httpd.TokenQueryParam)
	}
	exe, err := os.Executable()
	if err != nil {
		exe = "mcpd"
	}
	fmt.Fprintf(out, "\nNext: ChatGPT needs an HTTPS address, so run `tunnelctl up` in the workspace (it starts its own mcpd) and paste the URL it prints.\n")
	fmt.Fprintf(out, "For a stdio client (Claude Desktop, Cursor, the MCP Inspector), use:\n%s\n", httpd.StdioSnippet(exe, s.Root))
	fmt.Fprintf(out, "Press Ctrl-C to stop mcpd.\n\n")
}

func tokenOrigin(source string) string {
	switch source {
	case "file":
		return "--token-file"
	case "profile":
		return "the saved profile's token file (mcpd settings show --reveal-token prints it)"
	}
	return "CODEXPRO_HTTP_TOKEN"
}

// adminURL is the local admin page with the token that opens it: the
// connector URL with the page's path instead of /mcp.
func adminURL(host string, port int, token string) string {
	u, err := url.Parse(httpd.ConnectorURL(host, port, token))
	if err != nil {
		return ""
	}
	u.Path = "/"
	return u.String()
}
