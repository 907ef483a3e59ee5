package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// The leak scan is only worth something if it finds a leak; this proves it
// does, and that it names the source without printing the secret.
func TestRunLogFindsLeaks(t *testing.T) {
	const secret = "sk-selftestsecretvalue0000"
	cases := []struct {
		name   string
		write  func(l *runLog)
		source string // "" = no leak
	}{
		{"clean", func(l *runLog) { l.add("mcpd stderr", []byte("all fine")) }, ""},
		{"in a result", func(l *runLog) {
			l.add("mcpd stderr", []byte("starting"))
			l.add("ts-sdk http result", []byte(`{"text":"`+secret+`"}`))
		}, "ts-sdk http result"},
		{"split across writes of one stream", func(l *runLog) {
			w := l.writer("mcpd http stderr")
			fmt.Fprint(w, "key="+secret[:7])
			l.add("other source", []byte("interleaved"))
			fmt.Fprint(w, secret[7:]+"\n")
		}, "mcpd http stderr"},
		{"shown by its one allowed source", func(l *runLog) {
			l.secretShownBy("the self-test key", secret, "mcpd stderr")
			l.add("mcpd stderr", []byte("Connector URL: ?codexpro_token="+secret))
		}, ""},
		{"allowed source does not cover the others", func(l *runLog) {
			l.secretShownBy("the self-test key", secret, "mcpd stderr")
			l.add("mcpd stderr", []byte(secret))
			l.add("inspector stdout", []byte(secret))
		}, "inspector stdout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newRunLog()
			l.secret("the self-test key", secret)
			c.write(l)
			leaks := l.leaks()
			if c.source == "" {
				if len(leaks) != 0 {
					t.Fatalf("clean output reported leaks: %v", leaks)
				}
				return
			}
			if len(leaks) != 1 || !strings.Contains(leaks[0], c.source) || !strings.Contains(leaks[0], "the self-test key") {
				t.Fatalf("leaks = %v; want one naming %q", leaks, c.source)
			}
			if strings.Contains(leaks[0], secret) {
				t.Fatalf("the leak report prints the secret: %s", leaks[0])
			}
		})
	}
}
