package mcpd

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/internal/wire"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/logx"
	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/workspace"
)

// benchEnv is a workspace holding one 10 KB source file, small.go, with
// the standard tool set.
func benchEnv(b testing.TB) *toolkit.Env {
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
	b.Cleanup(roots.Close)
	return &toolkit.Env{Cfg: toolkit.Config{ToolMode: "standard", WriteMode: "workspace", BashMode: "off",
		MaxReadBytes: 180000, MaxWriteBytes: 1000000, MaxOutputBytes: 120000, MaxSearchResults: 200,
		ContextDir: ".ai-bridge", Public: map[string]any{}}, Roots: roots, Redact: redactor{}, Log: zerolog.Nop()}
}

const benchReadMsg = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","arguments":{"path":"small.go"}}}`

// BenchmarkReadMessage is one `read` of a 10 KB file through the MCP server
// as both transports run it: JSON-RPC bytes in, wire.Line out (a reused buffer); with
// logging off, and with mcpd's own redacting JSON log (its per-call line).
func BenchmarkReadMessage(b *testing.B) {
	b.Run("nolog", func(b *testing.B) { benchReadMessage(b, zerolog.Nop()) })
	b.Run("logx", func(b *testing.B) { benchReadMessage(b, logx.New(io.Discard, "info")) })
}

func benchReadMessage(b *testing.B, log zerolog.Logger) {
	env := benchEnv(b)
	env.Log = log
	s := NewMCPServer(env)
	msg := []byte(benchReadMsg)
	ctx := context.Background()
	var buf []byte
	cpu0 := cpuTime()
	for b.Loop() {
		res := s.HandleMessage(ctx, msg)
		if line, err := wire.Line(buf[:0], res); err != nil {
			b.Fatal(err)
		} else {
			buf = line
		}
	}
	reportCPU(b, cpu0)
}

// BenchmarkNewMCPServer is the start-up work between settings and the
// first tools/list: building the catalog (schemas) and registering it.
func BenchmarkNewMCPServer(b *testing.B) {
	env := benchEnv(b)
	cpu0 := cpuTime()
	var s *server.MCPServer
	for b.Loop() {
		s = NewMCPServer(env)
	}
	reportCPU(b, cpu0)
	if len(s.ListTools()) == 0 {
		b.Fatal("no tools registered")
	}
}

// reportCPU adds CPU time per operation (user + system, GC included),
// steadier than wall time on a shared machine.
func reportCPU(b *testing.B, cpu0 int64) {
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
}

// cpuTime is this process's user plus system CPU time in nanoseconds.
func cpuTime() int64 { return int64(procx.CPUTime()) }
