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

// BenchmarkJudge is the whole-file judgement read and search make before
// cutting lines: a clean source file (one hint scan, no allocation) and a
// config file with a key block and name/value lines.
func BenchmarkJudge(b *testing.B) {
	clean := strings.Repeat("func main() { fmt.Println(\"hello world\") } // comment here\n", 170)
	keyed := strings.Repeat("host: example.com\napi_key:\n  abcdEFGH1234ijklMNOP5678\n", 60) +
		"-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF0MIIEpAIBAAKCAQEA0Z3VS5JJcds\n", 25) + "-----END RSA PRIVATE KEY-----\n"
	for _, c := range []struct{ name, text string }{{"clean", clean}, {"keyed", keyed}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				Judge(c.text)
			}
		})
	}
}

// BenchmarkJudgeHinted is the whole-file judgement of source that mentions
// keys and tokens now and then without holding a secret, the file search
// judges most often at a hit: one hint scan and the few segments around
// the hints.
func BenchmarkJudgeHinted(b *testing.B) {
	plain := strings.Repeat("\tif err := w.Flush(); err != nil { return fmt.Errorf(\"flush %s: %w\", name, err) }\n", 9)
	text := strings.Repeat(plain+"\tkey := cache.Key(name) // the token bucket refills\n", 20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if !Judge(text).Clean() {
			b.Fatal("no secret here")
		}
	}
}
