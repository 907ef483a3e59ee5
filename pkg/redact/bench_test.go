package redact

import (
	"strings"
	"testing"
)

// BenchmarkText measures redaction of a large, mostly harmless tool output
// (source code with one secret), the common case for bash and read results.
func BenchmarkText(b *testing.B) {
	line := `	if err := json.Unmarshal(data, &cfg); err != nil { return fmt.Errorf("read %s: %w", path, err) } // token handling` + "\n"
	text := strings.Repeat(line, 8000) + "OPENAI_API_KEY=sk-realSecretValue123\n"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Text(text)
	}
}

// BenchmarkTextDense is the worst case: every line is a name=value pair the
// generic rules must examine (a large .env-style or YAML config).
func BenchmarkTextDense(b *testing.B) {
	text := strings.Repeat("SERVICE_TOKEN=short\napi_key: \"value\"\nhost: example.com\n", 4000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Text(text)
	}
}

// BenchmarkTextSource is ordinary source with no hint of a secret: one pass
// of the hint scanner and no regexp, the path most tool results take.
func BenchmarkTextSource(b *testing.B) {
	text := strings.Repeat("func main() { fmt.Println(\"hello world\") } // comment here\n", 8000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Text(text)
	}
}
