package redact

import (
	"encoding/json"
	"testing"
)

func TestPlain(t *testing.T) {
	cases := []struct {
		in    string
		plain bool
	}{
		{`{"level":"info","tool":"read","is_error":false,"took":0.137,"message":"tool call"}` + "\n", true},
		{`{"level":"info","method":"POST","path":"/mcp","status":200,"message":"http request"}`, true},
		{`{"message":"OPENAI_API_KEY=` + leak + `"}`, false},
		{`{"db_passwd":"hunter2hunter2"}`, false},
		{`{"Credentials":"abcdefghijkl"}`, false},
		{`{"x":"sk-abc"}`, false},
		{`{"argv":["cloudflared","--token","abcdefghijklmnop"]}`, false},
		{`{"msg":"to\u006ben"}`, false},        // an escape could spell a hint
		{"{\"name\":\"api_\u212aey\"}", false}, // Kelvin sign: (?i) would fold it to k
		{"{\"m\":\"x\x01y\"}", false},
	}
	for _, c := range cases {
		if got := Plain([]byte(c.in)); got != c.plain {
			t.Errorf("Plain(%q) = %v, want %v", c.in, got, c.plain)
		}
	}
}

// FuzzPlain: whatever Plain accepts, no redaction function changes any
// string or name taken from it.
func FuzzPlain(f *testing.F) {
	f.Add("tool", "read", "--flag")
	f.Add("db_passwd", "hunter2hunter2", "--token")
	f.Add("name", "OPENAI_API_KEY=sk-realSecretValue123", "x")
	f.Fuzz(func(t *testing.T, name, value, prev string) {
		event, err := json.Marshal(map[string]any{name: value, "argv": []string{prev, value}})
		if err != nil || !Plain(event) {
			return
		}
		if Field(name, value) != value || Text(value) != value || Text(name) != name {
			t.Fatalf("Plain accepted %s, but redaction changes it", event)
		}
		if a := Args([]string{prev, value}); a[0] != prev || a[1] != value {
			t.Fatalf("Plain accepted %s, but Args changes it to %q", event, a)
		}
		if got := Text(string(event)); got != string(event) {
			t.Fatalf("Text changed a plain event: %s", got)
		}
	})
}

// BenchmarkPlain is the check the log writer runs on every line.
func BenchmarkPlain(b *testing.B) {
	line := []byte(`{"level":"info","request_id":"0123456789abcdef","method":"POST","path":"/mcp","status":200,"duration":0.512,"bytes":12034,"remote":"127.0.0.1","time":"2026-11-29T11:40:00Z","message":"http request"}` + "\n")
	for b.Loop() {
		Plain(line)
	}
}
