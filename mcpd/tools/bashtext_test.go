package tools

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"codexpro.dev/mcpd/toolkit"
)

// TestBashCompactShowsAFailingGoTest: a model that reads only the text part
// learns which test failed and why.
func TestBashCompactShowsAFailingGoTest(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go toolchain")
	}
	var many strings.Builder
	for i := range 60 {
		fmt.Fprintf(&many, "func TestPass%d(t *testing.T) { t.Log(\"noise %d\") }\n", i, i)
	}
	e, _ := newTestEnv(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.21\n",
		"m_test.go": "package m\n\nimport \"testing\"\n\n" + many.String() +
			"func TestTheBrokenThing(t *testing.T) { t.Fatal(\"want 2, got 3\") }\n",
	})
	e.Cfg.BashMode = "safe"
	r := callBash(e, toolkit.BashConfig{MaxTimeoutMs: 300_000}, map[string]any{"command": "go test -v ./...", "timeout_ms": 240_000})
	text := resultText(r)
	for _, want := range []string{"--- FAIL: TestTheBrokenThing", "want 2, got 3", "Exit: 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("compact text part lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "TestPass0 ") {
		t.Errorf("compact text kept more than the tail:\n%s", text)
	}
}

func TestBashCompactTranscript(t *testing.T) {
	long := strings.Repeat("line\n", 100)
	tests := []struct {
		name      string
		o         bashOut
		want, not []string
	}{
		{"short success shows output", bashOut{Stdout: "a.txt\nsub\n"}, []string{"## stdout", "a.txt"}, []string{"## stderr"}},
		{"long success shows sizes only", bashOut{Stdout: long}, []string{"stdout 100 lines", "--bash-transcript full"}, []string{"## stdout"}},
		{"long failure shows the tail of both", bashOut{ExitCode: 2, Stdout: long + "LAST-OUT\n", Stderr: "boom\n"},
			[]string{"## stdout (last 40 of 101 lines)", "LAST-OUT", "## stderr", "boom"}, nil},
		{"timeout shows the tail", bashOut{ExitCode: -1, TimedOut: true, Stderr: long + "timed out after 1000 ms\n"}, []string{"timed out after 1000 ms"}, nil},
		{"one huge line is bounded", bashOut{ExitCode: 1, Stdout: strings.Repeat("x", 50_000) + "END"}, []string{"…", "END"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := bashTranscript("compact", tc.o)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("has %q:\n%s", w, got)
				}
			}
			if len(got) > 2*tailBytes+500 {
				t.Errorf("compact text is %d bytes", len(got))
			}
		})
	}
	full := bashTranscript("full", bashOut{Stdout: long})
	if strings.Count(full, "line") != 100 {
		t.Error("full transcript does not keep everything")
	}
}
