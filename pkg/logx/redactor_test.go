package logx

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// BenchmarkToolCallLine is the line mcpd writes for every tool call.
func BenchmarkToolCallLine(b *testing.B) {
	log := New(io.Discard, "info")
	for b.Loop() {
		log.Info().Str("tool", "read").Bool("is_error", false).Dur("took", 137*time.Microsecond).Msg("tool call")
	}
}

// TestPlainLinesPassThrough: an ordinary line is written byte for byte,
// and a line that only a field name makes secret is still redacted.
func TestPlainLinesPassThrough(t *testing.T) {
	var buf bytes.Buffer
	log := zerolog.New(Redactor{Next: &buf})
	log.Info().Str("tool", "read").Bool("is_error", false).Msg("tool call")
	if want := `{"level":"info","tool":"read","is_error":false,"message":"tool call"}` + "\n"; buf.String() != want {
		t.Fatalf("plain line changed:\n got %s\nwant %s", buf.String(), want)
	}
	buf.Reset()
	log.Info().Str("db_passwd", "hunter2hunter2").Str("credential", "abcdefghijkl").Msg("connect")
	if strings.Contains(buf.String(), "hunter2hunter2") || strings.Contains(buf.String(), "abcdefghijkl") {
		t.Fatalf("secret field written: %s", buf.String())
	}
}
