package config

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestWriteModeCoercion(t *testing.T) {
	tests := []struct{ mode, write, want string }{
		{"", "", "workspace"},
		{"agent", "", "workspace"},
		{"agent", "off", "off"},
		{"agent", "handoff", "handoff"},
		{"handoff", "", "handoff"},
		{"handoff", "workspace", "handoff"},
		{"handoff", "off", "off"},
		{"pro", "workspace", "handoff"},
		{"pro", "off", "off"},
	}
	for _, tc := range tests {
		f := Flags{}
		for name, v := range map[string]string{"mode": tc.mode, "write": tc.write} {
			if v != "" {
				f[name] = []string{v}
			}
		}
		s := mustLoad(t, f, nil)
		if s.WriteMode != tc.want {
			t.Errorf("mode %q write %q: WriteMode %q, want %q", tc.mode, tc.write, s.WriteMode, tc.want)
		}
	}
	s := mustLoad(t, Flags{}, map[string]string{"CODEXPRO_MODE": "pro", "CODEXPRO_WRITE_MODE": "workspace"})
	if s.Mode != "pro" || s.WriteMode != "handoff" {
		t.Errorf("env pro/workspace: %s/%s", s.Mode, s.WriteMode)
	}
}

func TestConnectionTestCannotChangeAnything(t *testing.T) {
	s := mustLoad(t, Flags{"connection-test": {"true"}, "write": {"workspace"}, "bash": {"full"}, "tool-cards": {"true"}}, nil)
	if s.WriteMode != "off" || s.BashMode != "off" || s.ToolCards || !s.LogRequests {
		t.Fatalf("connection test: write %s bash %s cards %v log %v", s.WriteMode, s.BashMode, s.ToolCards, s.LogRequests)
	}
}

func TestBashSessionRequired(t *testing.T) {
	s := mustLoad(t, Flags{}, map[string]string{"CODEXPRO_REQUIRE_BASH_SESSION": "1", "CODEXPRO_BASH_SESSION_ID": "codex-main"})
	if !s.RequireBashSession || s.BashSession != "codex-main" {
		t.Fatalf("got %v %q", s.RequireBashSession, s.BashSession)
	}
}

// TestContextDirAtStartup: the values issue 3 names are refused when the
// settings load, naming CODEXPRO_CONTEXT_DIR (the rules live in pkg/bridge).
func TestContextDirAtStartup(t *testing.T) {
	for _, bad := range []string{"src", "/abs/x", "../x", ".git/x", "node_modules/.x", ".env"} {
		_, err := load(t, Flags{}, map[string]string{"CODEXPRO_CONTEXT_DIR": bad})
		if err == nil || !strings.Contains(err.Error(), "CODEXPRO_CONTEXT_DIR") {
			t.Errorf("CODEXPRO_CONTEXT_DIR=%q: err = %v; want a start-up error naming the setting", bad, err)
		}
	}
	s := mustLoad(t, Flags{}, map[string]string{"CODEXPRO_CONTEXT_DIR": ".ai/bridge"})
	if s.ContextDir != ".ai/bridge" {
		t.Fatalf("ContextDir = %q", s.ContextDir)
	}
}

func TestPublicNeverShowsTheToken(t *testing.T) {
	s := mustLoad(t, Flags{}, map[string]string{"CODEXPRO_HTTP_TOKEN": goodToken})
	pub, err := json.Marshal(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{string(pub), s.String(), fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s)} {
		if strings.Contains(out, goodToken) {
			t.Fatalf("token visible in %s", out)
		}
	}
	p := s.Public()
	if p["tokenSource"] != "env" || p["authEnabled"] != true || p["defaultRoot"] != s.Root {
		t.Fatalf("Public() = %v", p)
	}
	if p["bashSessionId"] != nil {
		t.Fatalf("unset bash session should be null, got %v", p["bashSessionId"])
	}
}
