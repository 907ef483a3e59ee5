package config

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeSettingsTableIsGenerated fails when a setting changed without
// `go generate ./pkg/config`, so the README never describes another version.
func TestReadmeSettingsTableIsGenerated(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := TableBlock.Replace(string(data), Table())
	if err != nil {
		t.Fatal(err)
	}
	if want != string(data) {
		t.Fatal("README.md's settings table is stale: run go generate ./pkg/config")
	}
	for _, s := range Declared() {
		for _, env := range s.Envs {
			if !strings.Contains(string(data), "`"+env+"`") {
				t.Errorf("README does not name %s", env)
			}
		}
	}
}

// TestDeclarationIsConsistent checks what the derived code relies on.
func TestDeclarationIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Declared() {
		if s.Name == "" || seen[s.Name] {
			t.Errorf("setting %q: empty or duplicate name", s.Name)
		}
		seen[s.Name] = true
		if s.Type == Enum && !containsStr(s.Allowed, s.Default) && s != kWrite {
			t.Errorf("--%s: default %q is not one of %v", s.Name, s.Default, s.Allowed)
		}
		if s.Scope.Has(Saved) && s.Profile == "" {
			t.Errorf("--%s is saved but has no profile key", s.Name)
		}
		if s.Profile != "" && s.Type != List {
			p := Profile{}
			if err := p.Set(s, s.Canonical("1")); err != nil {
				t.Errorf("--%s: %v", s.Name, err)
			}
			if _, ok := p.fields()[s.Profile]; !ok {
				t.Errorf("--%s: profile key %q is not a field of Profile", s.Name, s.Profile)
			}
		}
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
