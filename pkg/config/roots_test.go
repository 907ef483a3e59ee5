package config

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestAllowedRootsAreRealDedupedUnion(t *testing.T) {
	root, a, b := realTemp(t), realTemp(t), realTemp(t)
	link := filepath.Join(realTemp(t), "link-to-a")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	env := envOf(t, map[string]string{
		"CODEXPRO_ALLOWED_ROOTS":        b + ":" + root + "::",
		"CODEBASE_BRIDGE_ALLOWED_ROOTS": a,
		"CODEXPRO_ALLOW_HOME":           "1",
	})
	home, _ := env("HOME")
	home, _ = filepath.EvalSymlinks(home)
	s, err := Load(Flags{"root": {root}, "allow-root": {link, a}}, env)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{root, a, b, home}
	if !slices.Equal(s.AllowedRoots, want) {
		t.Fatalf("AllowedRoots = %v, want %v", s.AllowedRoots, want)
	}
	if !s.AllowHome {
		t.Fatal("AllowHome not set by CODEXPRO_ALLOW_HOME=1")
	}
}

func TestRootThroughSymlinkIsStoredReal(t *testing.T) {
	real := realTemp(t)
	link := filepath.Join(realTemp(t), "ws")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t, Flags{"root": {link}}, nil)
	if s.Root != real || s.AllowedRoots[0] != real {
		t.Fatalf("Root = %q, AllowedRoots = %v; want real path %q", s.Root, s.AllowedRoots, real)
	}
}

func TestAllowHomeFlag(t *testing.T) {
	env := envOf(t, nil)
	home, _ := env("HOME")
	home, _ = filepath.EvalSymlinks(home)
	s, err := Load(Flags{"root": {realTemp(t)}, "allow-home": {"true"}}, env)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(s.AllowedRoots, home) {
		t.Fatalf("--allow-home: %v misses %s", s.AllowedRoots, home)
	}
}
