package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExcludeContextDirOnFirstCreate(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git", "info"), 0o755); err != nil {
		t.Fatal(err)
	}
	exclude := filepath.Join(root, ".git", "info", "exclude")
	if err := os.WriteFile(exclude, []byte("# git's own comment\n*.log"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := excludeContextDir(root, ".ai-bridge"); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := os.ReadFile(exclude)
	if got := string(data); !strings.HasPrefix(got, "# git's own comment\n*.log\n") || strings.Count(got, "/.ai-bridge/") != 1 {
		t.Fatalf("exclude:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(root, ".gitignore")); !os.IsNotExist(err) {
		t.Fatal("the user's .gitignore was touched")
	}
}

func TestExcludeContextDirLeavesAnExistingDirAlone(t *testing.T) {
	root := t.TempDir()
	_ = os.MkdirAll(filepath.Join(root, ".git"), 0o755)
	_ = os.MkdirAll(filepath.Join(root, ".ai-bridge"), 0o755)
	if err := excludeContextDir(root, ".ai-bridge"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".git", "info", "exclude")); !os.IsNotExist(err) {
		t.Fatal("an existing (maybe tracked) context dir was excluded")
	}
}

// TestExcludeContextDirRefusesLinks: a hostile repository cannot turn the
// exclude line into a write outside .git.
func TestExcludeContextDirRefusesLinks(t *testing.T) {
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim")
	_ = os.WriteFile(victim, []byte("keep\n"), 0o644)
	cases := map[string]func(root string){
		"info is a link": func(root string) { _ = os.Symlink(outside, filepath.Join(root, ".git", "info")) },
		"exclude is a link": func(root string) {
			_ = os.MkdirAll(filepath.Join(root, ".git", "info"), 0o755)
			_ = os.Symlink(victim, filepath.Join(root, ".git", "info", "exclude"))
		},
		"git is a link": func(root string) {
			_ = os.Remove(filepath.Join(root, ".git"))
			_ = os.Symlink(outside, filepath.Join(root, ".git"))
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			_ = os.MkdirAll(filepath.Join(root, ".git"), 0o755)
			setup(root)
			_ = excludeContextDir(root, ".ai-bridge")
			if data, _ := os.ReadFile(victim); string(data) != "keep\n" {
				t.Fatalf("wrote through a link: %q", data)
			}
			if _, err := os.Stat(filepath.Join(outside, "exclude")); !os.IsNotExist(err) {
				t.Fatal("created a file outside .git")
			}
		})
	}
}
