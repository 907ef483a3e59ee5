package agentapi_test

import (
	"context"
	"errors"
	"fmt"

	"codexpro.dev/pkg/agentapi"
	"codexpro.dev/pkg/agentapi/agentpb"
)

// reviewer is a whole adapter for a made-up agent CLI: who it is, and the
// argv that runs it on a plan. Serve does the rest (transport, streaming,
// process tree, timeout, sandbox).
type reviewer struct{ bin string }

func (r reviewer) Describe() *agentpb.DescribeResponse {
	return &agentpb.DescribeResponse{Name: "reviewer", DisplayName: "Plan reviewer", Version: "2"}
}

func (r reviewer) Build(req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	if req.GetPlanRel() == "" {
		return nil, errors.New("the run request names no plan")
	}
	argv := []string{r.bin, "review", "--plan", req.GetPlanRel()}
	return &agentpb.CommandResponse{Argv: argv, Display: agentapi.Preview(argv)}, nil
}

// An adapter's main is one call:
//
//	func main() { agentapi.Serve(reviewer{bin: "plan-reviewer"}) }
//
// Built as handoff-agent-reviewer and trusted with `handoff plugins trust
// reviewer`, it answers handoff over gRPC. BuilderAgent is what Serve puts
// behind that transport; calling it directly shows what handoff receives.
func ExampleServe() {
	agent := agentapi.BuilderAgent{B: reviewer{bin: "plan-reviewer"}}
	ctx := context.Background()
	d, _ := agent.Describe(ctx)
	fmt.Println(d.GetDisplayName())
	cmd, err := agent.Command(ctx, &agentpb.RunRequest{Root: "/src/app", PlanRel: ".ai-bridge/current-plan.md"})
	fmt.Println(cmd.GetDisplay(), err)
	_, err = agent.Command(ctx, &agentpb.RunRequest{Root: "/src/app"})
	fmt.Println(err)
	// Output:
	// Plan reviewer
	// plan-reviewer review --plan .ai-bridge/current-plan.md <nil>
	// the run request names no plan
}
