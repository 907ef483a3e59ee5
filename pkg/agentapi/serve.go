package agentapi

import (
	"context"
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"codexpro.dev/pkg/agentapi/agentpb"
	"codexpro.dev/pkg/sandbox"
)

// Builder is all an adapter has to write: who it is, and the argv that runs
// its agent for a request. Serve does the rest (transport, streaming,
// process tree, timeout, sandbox).
type Builder interface {
	Describe() *agentpb.DescribeResponse
	Build(req *agentpb.RunRequest) (*agentpb.CommandResponse, error)
}

// Serve is the whole main of an adapter program:
//
//	func main() { agentapi.Serve(myBuilder{}) }
//
// It never returns. Started by hand, outside handoff, it prints go-plugin's
// "This binary is a plugin" notice and exits 1.
func Serve(b Builder) {
	// A confined agent is started by re-executing this binary through the
	// sandbox entry point; that must happen before anything else.
	sandbox.MaybeExec()
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake(),
		Plugins:         PluginSet(BuilderAgent{B: b}),
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name: b.Describe().GetName(), Output: os.Stderr, JSONFormat: true, Level: hclog.Warn,
		}),
	})
}

// BuilderAgent turns a Builder into an Agent that runs commands locally
// with Exec. Serve uses it on the adapter side; tests use it in-process.
type BuilderAgent struct{ B Builder }

// Describe returns the builder's description.
func (a BuilderAgent) Describe(context.Context) (*agentpb.DescribeResponse, error) {
	return a.B.Describe(), nil
}

// Command returns the builder's argv for req.
func (a BuilderAgent) Command(_ context.Context, req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	return a.B.Build(req)
}

// Run builds the argv and runs it.
func (a BuilderAgent) Run(ctx context.Context, req *agentpb.RunRequest, onOutput func(*agentpb.Output)) (*agentpb.Exit, error) {
	cmd, err := a.B.Build(req)
	if err != nil {
		return nil, err
	}
	return Exec(ctx, cmd.GetArgv(), req, onOutput), nil
}
