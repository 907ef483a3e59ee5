// Package mcpd is the guarded MCP server: it builds the tool set a
// configuration allows and serves it over stdio or Streamable HTTP.
package mcpd

import (
	"context"

	"github.com/mark3labs/mcp-go/server"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/mcpd/tools"
)

// Version is reported in server info, --version and /healthz.
const Version = "0.1.0"

// NewMCPServer builds one MCP server over env with the tools that env's
// configuration advertises. Tools not advertised are not registered at all,
// so a direct call to one fails like a call to an unknown tool. addHooks
// add hooks of the transport's own (httpd.Sessions.Hook).
func NewMCPServer(env *toolkit.Env, addHooks ...func(*server.Hooks)) *server.MCPServer {
	all := tools.All()
	visible := all.Visible(env.Cfg)
	hooks := &server.Hooks{}
	hooks.AddOnUnregisterSession(func(_ context.Context, s server.ClientSession) { env.Forget(s.SessionID()) })
	for _, add := range addHooks {
		add(hooks)
	}
	s := server.NewMCPServer("CodexPro", Version,
		server.WithToolCapabilities(false),
		server.WithInstructions(Instructions(env.Cfg)),
		server.WithRecovery(),
		server.WithHooks(hooks),
		server.WithToolFilter(all.Order()),
	)
	toolkit.Register(s, env, toolkit.RegisterCards(s, env.Cfg, visible))
	return s
}
