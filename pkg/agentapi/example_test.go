package agentapi_test

import (
	"context"
	"errors"
	"fmt"

	"codexpro.dev/pkg/agentapi"
	"codexpro.dev/pkg/agentapi/agentpb"
)

// aider is a whole adapter: who it is, and the argv that runs its agent on
// a plan. Serve does the rest (transport, streaming, process tree, timeout,
// sandbox).
type aider struct{}

func (aider) Describe() *agentpb.DescribeResponse {
	return &agentpb.DescribeResponse{Name: "aider", DisplayName: "Aider", Version: "1"}
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

// An adapter's main is one call:
//
//	func main() { agentapi.Serve(aider{}) }
//
// Built as handoff-agent-aider and trusted with `handoff plugins trust
// aider`, it answers handoff over gRPC. BuilderAgent is what Serve puts
// behind that transport; calling it directly shows what handoff receives.
func ExampleServe() {
	agent := agentapi.BuilderAgent{B: aider{}}
	ctx := context.Background()
	d, _ := agent.Describe(ctx)
	cmd, err := agent.Command(ctx, &agentpb.RunRequest{
		Root:     "/src/app",
		PlanFile: "/src/app/.ai-bridge/current-plan.md",
		Model:    "sonnet",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.GetDisplayName())
	fmt.Println(cmd.GetDisplay())
	_, err = agent.Command(ctx, &agentpb.RunRequest{Root: "/src/app"})
	fmt.Println(err)
	// Output:
	// Aider
	// aider --yes-always --no-auto-commits --message-file /src/app/.ai-bridge/current-plan.md --model sonnet
	// run request has no plan_file
}
