package e2e

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// goClient is mark3labs/mcp-go's client: over HTTP it negotiates the
// stateless 2026-07-28 protocol through server/discover.
type goClient struct{}

func (goClient) Name() string { return "mcp-go" }

func (g goClient) Run(t *testing.T, tg target, calls []call) session {
	t.Helper()
	s := needSuite(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := g.open(t, ctx, tg)
	sess := session{Protocol: c.ProtocolVersion(), SessionID: c.GetSessionId()}
	for _, cl := range calls {
		sess.Replies = append(sess.Replies, g.do(ctx, c, cl))
	}
	record(s, "mcp-go "+tg.Transport, sess)
	return sess
}

// open connects and initializes a client that the test closes at its end.
func (g goClient) open(t *testing.T, ctx context.Context, tg target) *client.Client {
	t.Helper()
	c := g.connect(t, needSuite(t), tg)
	t.Cleanup(func() { _ = c.Close() })
	if _, err := c.Initialize(ctx, initRequest()); err != nil {
		t.Fatalf("mcp-go %s: initialize: %v", tg.Transport, err)
	}
	return c
}

func (goClient) connect(t *testing.T, s *suiteState, tg target) *client.Client {
	t.Helper()
	switch tg.Transport {
	case "stdio":
		stderr := s.log.writer("mcpd stdio (mcp-go) stderr")
		exact := func(ctx context.Context, command string, env, args []string) (*exec.Cmd, error) {
			cmd := exec.CommandContext(ctx, command, args...)
			cmd.Env = env // exactly the suite's environment, nothing inherited
			cmd.Stderr = stderr
			return cmd, nil
		}
		c, err := client.NewStdioMCPClientWithOptions(tg.Argv[0], tg.Env, tg.Argv[1:], transport.WithCommandFunc(exact))
		if err != nil {
			t.Fatalf("mcp-go stdio: start %s: %v", tg.Argv[0], err)
		}
		return c
	case "http":
		c, err := client.NewStreamableHttpClient(tg.URL,
			transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + tg.Token}),
			transport.WithHTTPTimeout(30*time.Second))
		if err != nil {
			t.Fatalf("mcp-go http: %v", err)
		}
		if err := c.Start(context.Background()); err != nil {
			t.Fatalf("mcp-go http: start: %v", err)
		}
		return c
	}
	t.Fatalf("unknown transport %q", tg.Transport)
	return nil
}

func (goClient) do(ctx context.Context, c *client.Client, cl call) reply {
	var res any
	var err error
	if cl.Tool == "" {
		res, err = c.ListTools(ctx, mcp.ListToolsRequest{})
	} else {
		var req mcp.CallToolRequest
		req.Params.Name = cl.Tool
		req.Params.Arguments = cl.Args
		res, err = c.CallTool(ctx, req)
	}
	return replyOf(res, err)
}

func initRequest() mcp.InitializeRequest {
	var ir mcp.InitializeRequest
	ir.Params.ClientInfo = mcp.Implementation{Name: "codexpro-e2e-go", Version: "0.0.1"}
	return ir
}
