// Command handoff-agent-example is a template for third-party agent
// adapters. It runs Aider on the handoff plan:
//
//	aider --yes-always --no-auto-commits --message-file <plan> [--model M]
//
// To write your own adapter, copy this directory, change Describe and Build,
// and build it as handoff-agent-<name>:
//
//	go build -o ~/.codexpro/plugins/handoff-agent-<name> .
//
// handoff refuses to start a third-party adapter until you pin it:
//
//	handoff plugins trust <name>     # records its SHA-256 in ~/.codexpro
//	handoff execute --agent <name>
//
// Rebuilding the binary changes its hash; handoff then refuses it again until
// you trust the new build. Build returns argv only: agentapi.Serve runs it
// without a shell, in its own process group, with the environment, timeout,
// output cap and sandbox that handoff asked for, and kills the whole tree on
// timeout or cancellation.
package main

import (
	"errors"

	"codexpro.dev/pkg/agentapi"
	"codexpro.dev/pkg/agentapi/agentpb"
)

type aider struct{}

func (aider) Describe() *agentpb.DescribeResponse {
	return &agentpb.DescribeResponse{Name: "example", DisplayName: "Aider (example adapter)", Version: "1"}
}

func (aider) Build(req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	if req.GetPlanFile() == "" {
		return nil, errors.New("run request has no plan_file")
	}
	argv := []string{"aider", "--yes-always", "--no-auto-commits", "--message-file", req.GetPlanFile()}
	if m := req.GetModel(); m != "" {
		argv = append(argv, "--model", m)
	}
	return &agentpb.CommandResponse{Argv: argv, Display: agentapi.Preview(argv)}, nil
}

func main() { agentapi.Serve(aider{}) }
