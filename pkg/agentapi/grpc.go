package agentapi

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"codexpro.dev/pkg/agentapi/agentpb"
)

// GRPCPlugin adapts Agent to go-plugin's gRPC transport. net/rpc is not
// offered: it has neither streaming nor cancellation.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Agent
}

// GRPCServer registers the adapter's implementation.
func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return errors.New("agent plugin served without an implementation")
	}
	agentpb.RegisterAgentServer(s, &grpcServer{impl: p.Impl})
	return nil
}

// GRPCClient returns the host's Agent over the connection.
func (p *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &grpcClient{c: agentpb.NewAgentClient(c)}, nil
}

type grpcClient struct{ c agentpb.AgentClient }

func (g *grpcClient) Describe(ctx context.Context) (*agentpb.DescribeResponse, error) {
	return g.c.Describe(ctx, &agentpb.DescribeRequest{})
}

func (g *grpcClient) Command(ctx context.Context, req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	return g.c.Command(ctx, req)
}

func (g *grpcClient) Run(ctx context.Context, req *agentpb.RunRequest, onOutput func(*agentpb.Output)) (*agentpb.Exit, error) {
	stream, err := g.c.Run(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("start agent run: %w", err)
	}
	for {
		ev, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("agent run ended without an exit event")
		}
		if err != nil {
			return nil, fmt.Errorf("agent run: %w", err)
		}
		switch e := ev.Event.(type) {
		case *agentpb.RunEvent_Output:
			if onOutput != nil {
				onOutput(e.Output)
			}
		case *agentpb.RunEvent_Exit:
			return e.Exit, nil
		}
	}
}

// grpcServer serves Agent over the generated service. It is generated with
// require_unimplemented_servers=false and embeds no Unimplemented type, so the
// compiler checks it has every method (below) and a new RPC cannot be
// half-served.
type grpcServer struct {
	impl Agent
}

var _ agentpb.AgentServer = (*grpcServer)(nil)

func (s *grpcServer) Describe(ctx context.Context, _ *agentpb.DescribeRequest) (*agentpb.DescribeResponse, error) {
	return s.impl.Describe(ctx)
}

func (s *grpcServer) Command(ctx context.Context, req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	return s.impl.Command(ctx, req)
}

func (s *grpcServer) Run(req *agentpb.RunRequest, stream agentpb.Agent_RunServer) error {
	// Sends are serialised: a gRPC stream is not safe for concurrent Send.
	out := make(chan *agentpb.Output, 64)
	done := make(chan struct{})
	var sendErr error
	go func() {
		defer close(done)
		for o := range out {
			if sendErr == nil {
				sendErr = stream.Send(&agentpb.RunEvent{Event: &agentpb.RunEvent_Output{Output: o}})
			}
		}
	}()
	exit, err := s.impl.Run(stream.Context(), req, func(o *agentpb.Output) { out <- o })
	close(out)
	<-done
	if err != nil {
		return err
	}
	if sendErr != nil {
		return fmt.Errorf("stream agent output: %w", sendErr)
	}
	return stream.Send(&agentpb.RunEvent{Event: &agentpb.RunEvent_Exit{Exit: exit}})
}
