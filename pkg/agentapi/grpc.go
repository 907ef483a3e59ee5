package agentapi

import (
	"context"
	"errors"
	"fmt"
	"io"

	"codexpro.dev/pkg/agentapi/agentpb"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
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
	s.RegisterService(&serviceDesc, &grpcServer{impl: p.Impl})
	return nil
}

// GRPCClient returns the host's Agent over the connection.
func (p *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &grpcClient{cc: c}, nil
}

type grpcClient struct{ cc grpc.ClientConnInterface }

func (g *grpcClient) Describe(ctx context.Context) (*agentpb.DescribeResponse, error) {
	return invoke[agentpb.DescribeResponse](ctx, g.cc, describeMethod, &agentpb.DescribeRequest{})
}

func (g *grpcClient) Command(ctx context.Context, req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	return invoke[agentpb.CommandResponse](ctx, g.cc, commandMethod, req)
}

func (g *grpcClient) Run(ctx context.Context, req *agentpb.RunRequest, onOutput func(*agentpb.Output)) (*agentpb.Exit, error) {
	stream, err := startRun(ctx, g.cc, req)
	if err != nil {
		return nil, fmt.Errorf("start agent run: %w", err)
	}
	for {
		ev := new(agentpb.RunEvent)
		err := stream.RecvMsg(ev)
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

type grpcServer struct {
	impl Agent
}

func (s *grpcServer) Describe(ctx context.Context, _ *agentpb.DescribeRequest) (*agentpb.DescribeResponse, error) {
	return s.impl.Describe(ctx)
}

func (s *grpcServer) Command(ctx context.Context, req *agentpb.RunRequest) (*agentpb.CommandResponse, error) {
	return s.impl.Command(ctx, req)
}

func (s *grpcServer) Run(req *agentpb.RunRequest, stream runEvents) error {
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
