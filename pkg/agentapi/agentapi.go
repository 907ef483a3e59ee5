// Package agentapi is the contract between handoff and its agent adapters.
// An adapter is a separate program, handoff-agent-<name>, that handoff
// starts as a hashicorp/go-plugin subprocess and talks to over gRPC with
// mutual TLS. The adapter builds the agent's argv and runs the agent,
// streaming its output; cancelling the call kills the agent's process tree.
//
// A third-party adapter is a main package that calls Serve with a Builder;
// see plugins/example.
package agentapi

import (
	"context"

	"github.com/hashicorp/go-plugin"

	"codexpro.dev/pkg/agentapi/agentpb"
)

// Handshake keeps handoff and adapters from talking to unrelated programs.
// It is a usability guard, not a security one: trust comes from the pinned
// SHA-256 that handoff checks before it starts a third-party adapter.
func Handshake() plugin.HandshakeConfig {
	return plugin.HandshakeConfig{
		ProtocolVersion:  1,
		MagicCookieKey:   "HANDOFF_AGENT_PLUGIN",
		MagicCookieValue: "f3c1b8e2-codexpro-handoff-agent-v1",
	}
}

// PluginName is the name the adapter is dispensed under.
const PluginName = "agent"

// BinaryPrefix is the file name prefix of adapter programs.
const BinaryPrefix = "handoff-agent-"

// Agent is what handoff sees of an adapter, on either side of the wire.
type Agent interface {
	Describe(ctx context.Context) (*agentpb.DescribeResponse, error)
	Command(ctx context.Context, req *agentpb.RunRequest) (*agentpb.CommandResponse, error)
	// Run runs the agent; onOutput receives live output chunks and may be nil.
	Run(ctx context.Context, req *agentpb.RunRequest, onOutput func(*agentpb.Output)) (*agentpb.Exit, error)
}

// PluginSet is the go-plugin plugin map for both host and adapter. impl is
// nil on the host side.
func PluginSet(impl Agent) plugin.PluginSet {
	return plugin.PluginSet{PluginName: &GRPCPlugin{Impl: impl}}
}
