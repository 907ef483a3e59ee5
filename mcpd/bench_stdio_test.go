package mcpd

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// BenchmarkReadStdio is one `read` of a 10 KB file through the stdio
// transport over in-process pipes, one client waiting for each answer as
// mcpbench does. CPU per call covers both ends.
func BenchmarkReadStdio(b *testing.B) {
	srv := NewMCPServer(benchEnv(b))
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(b.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = ServeStdio(ctx, srv, inR, outW, zerolog.Nop())
	}()
	b.Cleanup(func() { cancel(); inW.Close(); outR.Close(); <-done })
	in := bufio.NewReaderSize(outR, 64<<10)
	call := func(line string) []byte {
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			b.Fatal(err)
		}
		resp, err := in.ReadBytes('\n')
		if err != nil {
			b.Fatal(err)
		}
		return resp
	}
	call(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`)
	_, _ = io.WriteString(inW, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
	cpu0 := cpuTime()
	id := 1
	for b.Loop() {
		id++
		if resp := call(strings.Replace(benchReadMsg, `"id":1`, `"id":`+strconv.Itoa(id), 1)); !bytes.Contains(resp, []byte(`"sha256"`)) {
			b.Fatalf("unexpected answer: %.300s", resp)
		}
	}
	reportCPU(b, cpu0)
}
