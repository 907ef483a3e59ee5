package bridge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateContextDir(t *testing.T) {
	cases := []struct {
		in, want, errPart string
	}{
		{"", ".ai-bridge", ""},
		{"  .ai-bridge  ", ".ai-bridge", ""},
		{".ai/bridge", ".ai/bridge", ""},
		{"./.ai-bridge/", ".ai-bridge", ""},
		{`.ai\bridge`, ".ai/bridge", ""},
		{"src", "", "hidden directory"},
		{"ai-bridge", "", "hidden directory"},
		{".", "", "simple relative"},
		{"..", "", "inside the workspace"},
		{"../.x", "", "inside the workspace"},
		{".a/../../x", "", "inside the workspace"},
		{"/tmp/.ai", "", "workspace-relative"},
		{`C:\x\.ai`, "", "workspace-relative"},
		{".a//b", "", "simple relative"},
		{".a/./b", "", "simple relative"},
		{".git", "", "credential"},
		{".git/x", "", "credential"},
		{".ai/node_modules", "", "dependency"},
		{".ai/SRC", "", "source"},
		{".ssh", "", "credential"},
		{".env", "", ".env"},
		{".env.local", "", ".env"},
		{".ai\nbridge", "", "control characters"},
	}
	for _, c := range cases {
		got, err := ValidateContextDir(c.in)
		if c.errPart == "" {
			if err != nil || got != c.want {
				t.Errorf("ValidateContextDir(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ValidateContextDir(%q) = %q; want error with %q", c.in, got, c.errPart)
			continue
		}
		if !strings.Contains(err.Error(), c.errPart) || !strings.Contains(err.Error(), "CODEXPRO_CONTEXT_DIR") {
			t.Errorf("ValidateContextDir(%q) error %q; want it to name CODEXPRO_CONTEXT_DIR and say %q", c.in, err, c.errPart)
		}
	}
}

func FuzzValidateContextDir(f *testing.F) {
	for _, s := range []string{".ai-bridge", "../x", ".a/../b", `.\..\x`, ".a/./b", "/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ValidateContextDir(s)
		if err != nil {
			return
		}
		for _, seg := range strings.Split(got, "/") {
			if seg == "" || seg == "." || seg == ".." {
				t.Fatalf("accepted %q as %q with segment %q", s, got, seg)
			}
		}
		if !strings.HasPrefix(got, ".") || strings.Contains(got, `\`) {
			t.Fatalf("accepted %q as %q", s, got)
		}
	})
}

func TestUnderContext(t *testing.T) {
	cases := []struct {
		rel  string
		want bool
	}{
		{".ai-bridge/agent-status.md", true},
		{".ai-bridge/sub/x.md", true},
		{".ai-bridge", false},
		{".ai-bridge/", false},
		{".ai-bridge/../demo.txt", false},
		{"../demo.txt", false},
		{"demo.txt", false},
		{"/etc/passwd", false},
		{".ai-bridge-other/x", false},
		{"", false},
	}
	for _, c := range cases {
		if got := UnderContext(".ai-bridge", c.rel); got != c.want {
			t.Errorf("UnderContext(%q) = %v, want %v", c.rel, got, c.want)
		}
	}
}

func TestContextDirLinks(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "src"), 0o755))
	must(os.MkdirAll(filepath.Join(root, ".real/bridge"), 0o755))
	must(os.Symlink("src", filepath.Join(root, ".ai-bridge")))
	must(os.Symlink(".real", filepath.Join(root, ".ai")))
	must(os.WriteFile(filepath.Join(root, ".file"), []byte("x"), 0o600))
	cases := []struct{ ctx, errPart string }{
		{".ai-bridge", "is a symlink"},
		{".ai/bridge", "is a symlink"},
		{".file", "not a directory"},
		{".missing", ""},
		{".real/bridge", ""},
	}
	for _, c := range cases {
		err := ContextDirLinks(root, c.ctx)
		if c.errPart == "" {
			if err != nil {
				t.Errorf("ContextDirLinks(%q) = %v", c.ctx, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.errPart) || !strings.Contains(err.Error(), "CODEXPRO_CONTEXT_DIR") {
			t.Errorf("ContextDirLinks(%q) = %v; want %q naming CODEXPRO_CONTEXT_DIR", c.ctx, err, c.errPart)
		}
	}
}
