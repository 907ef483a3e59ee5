package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// nodeModules fails the test when the pinned npm clients are missing: the
// suite installs nothing at test time.
func nodeModules(t *testing.T, s *suiteState) {
	t.Helper()
	for _, pkg := range []string{"@modelcontextprotocol/sdk", "@modelcontextprotocol/inspector"} {
		if _, err := os.Stat(filepath.Join(s.clients, "node_modules", pkg, "package.json")); err != nil {
			t.Fatalf("%s is not installed in %s: run `make deps` (npm ci there) first", pkg, s.clients)
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not on PATH: %v", err)
	}
}

// nodeEnv is the environment of a node client: its own HOME so the
// inspector's catalog and stored auth never touch the user's.
func (s *suiteState) nodeEnv() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + s.home,
		"MCP_CATALOG_PATH=" + filepath.Join(s.home, "mcp-catalog.json"),
		"NO_COLOR=1",
		"LANG=C.UTF-8",
	}
}

// runNode runs a node program from the clients directory and returns what
// it printed; both streams also go to the run log. It is safe to call from
// several goroutines; a run that overstays its time limit is killed and
// reported as an error.
func runNode(s *suiteState, source string, stdin []byte, argv ...string) (stdout, stderr []byte, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), nodeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = s.clients
	cmd.Env = s.nodeEnv()
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	err = cmd.Run()
	s.log.add(source+" stdout", out.Bytes())
	s.log.add(source+" stderr", errb.Bytes())
	if ctx.Err() != nil {
		err = fmt.Errorf("%s did not finish within %v", source, nodeTimeout)
	}
	return out.Bytes(), errb.Bytes(), err
}

const nodeTimeout = 90 * time.Second
