package mcpd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/tools"
	"codexpro.dev/pkg/workspace"
	"github.com/rs/zerolog"
)

// BenchmarkReadMessage is one `read` of a 10 KB file through the MCP server
// as a transport sees it: JSON-RPC bytes in, encoded response out.
func BenchmarkReadMessage(b *testing.B) {
	root := b.TempDir()
	src := strings.Repeat("func main() { fmt.Println(\"hello world\") } // comment here\n", 170)
	if err := os.WriteFile(filepath.Join(root, "small.go"), []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	bl, _ := workspace.NewBlocklist(nil)
	roots, err := workspace.NewRoots([]string{root}, bl, workspace.Limits{MaxReadBytes: 180000})
	if err != nil {
		b.Fatal(err)
	}
	env := &tools.Env{Cfg: tools.Config{ToolMode: "standard", WriteMode: "workspace", BashMode: "off",
		MaxReadBytes: 180000, MaxWriteBytes: 1000000, MaxOutputBytes: 120000, MaxSearchResults: 200,
		ContextDir: ".ai-bridge", Public: map[string]any{}}, Roots: roots, Redact: redactor{}, Log: zerolog.Nop()}
	s := NewMCPServer(env)
	msg := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","arguments":{"path":"small.go"}}}`)
	ctx := context.Background()
	for b.Loop() {
		res := s.HandleMessage(ctx, msg)
		if _, err := json.Marshal(res); err != nil {
			b.Fatal(err)
		}
	}
}
