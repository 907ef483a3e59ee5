package toolkit

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTag: every structured result ends up an object carrying the two tag
// keys exactly once, whatever the handler's value encoded to.
func TestTag(t *testing.T) {
	tl := Tool{Name: "read", Title: `Read "file"`}
	cases := []struct{ name, in, wantPath string }{
		{"object", `{"path":"a.go"}`, "a.go"},
		{"empty object", `{}`, ""},
		{"spaced empty object", `{ }`, ""},
		{"array", `[1,2]`, ""},
		{"null", `null`, ""},
		{"already tagged", `{"path":"a.go","codexpro_tool":"spoofed","codexpro_title":"x"}`, "a.go"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := tag(json.RawMessage(c.in), tl)
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatalf("not an object: %v: %s", err, raw)
			}
			if m["codexpro_tool"] != "read" || m["codexpro_title"] != `Read "file"` {
				t.Fatalf("tags wrong: %s", raw)
			}
			if p, _ := m["path"].(string); p != c.wantPath {
				t.Fatalf("path = %q, want %q: %s", p, c.wantPath, raw)
			}
			if strings.Count(string(raw), `"codexpro_tool"`) != 1 || strings.Count(string(raw), `"codexpro_title"`) != 1 {
				t.Fatalf("a tag key is not there exactly once: %s", raw)
			}
		})
	}
}
