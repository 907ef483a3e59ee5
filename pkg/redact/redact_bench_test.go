package redact

import (
	"strings"
	"testing"
)

// sourceText is ordinary code with no secret: the common case to keep cheap.
var sourceText = strings.Repeat("func main() { fmt.Println(\"hello world\") } // comment here\n", 170)

func BenchmarkTextSource10K(b *testing.B) {
	b.SetBytes(int64(len(sourceText)))
	for b.Loop() {
		Text(sourceText)
	}
}

func BenchmarkValueSource10K(b *testing.B) {
	v := map[string]any{"text": sourceText, "path": "a.go", "n": 1}
	for b.Loop() {
		Value(v)
	}
}
