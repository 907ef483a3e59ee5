package e2e

import (
	"context"
	"net/http"
	"os/exec"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// goSDKClient is the official Go SDK's client (modelcontextprotocol/go-sdk),
// at its own default protocol revision (version "") or at the one given.
type goSDKClient struct{ version string }

func (c goSDKClient) Name() string {
	if c.version == "" {
		return "go-sdk"
	}
	return "go-sdk@" + c.version
}

func (c goSDKClient) Run(t *testing.T, tg target, calls []call) session {
	t.Helper()
	s := needSuite(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cl := sdk.NewClient(&sdk.Implementation{Name: "codexpro-e2e-go-sdk", Version: "0.0.1"}, nil)
	cs, err := cl.Connect(ctx, c.transport(s, tg), &sdk.ClientSessionOptions{ProtocolVersion: c.version})
	if err != nil {
		t.Fatalf("%s %s: connect: %v", c.Name(), tg.Transport, err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	sess := session{SessionID: cs.ID()}
	if ir := cs.InitializeResult(); ir != nil {
		sess.Protocol = ir.ProtocolVersion
	}
	for _, one := range calls {
		sess.Replies = append(sess.Replies, goSDKCall(ctx, cs, one))
	}
	record(s, c.Name()+" "+tg.Transport, sess)
	return sess
}

func (c goSDKClient) transport(s *suiteState, tg target) sdk.Transport {
	if tg.Transport == "stdio" {
		cmd := exec.Command(tg.Argv[0], tg.Argv[1:]...)
		cmd.Env = tg.Env // exactly the suite's environment, nothing inherited
		cmd.Stderr = s.log.writer("mcpd stdio (" + c.Name() + ") stderr")
		return &sdk.CommandTransport{Command: cmd}
	}
	return &sdk.StreamableClientTransport{Endpoint: tg.URL, MaxRetries: -1,
		HTTPClient: &http.Client{Transport: bearerTransport{tg.Token}, Timeout: 0}}
}

func goSDKCall(ctx context.Context, cs *sdk.ClientSession, c call) reply {
	var res any
	var err error
	if c.Tool == "" {
		res, err = cs.ListTools(ctx, nil)
	} else {
		res, err = cs.CallTool(ctx, &sdk.CallToolParams{Name: c.Tool, Arguments: c.Args})
	}
	return replyOf(res, err)
}

// bearerTransport adds the token to every request the SDK makes (its POSTs
// and its GET stream).
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}
