package procx

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestEnvScrub(t *testing.T) {
	t.Setenv("SECRET_X", "hunter2-token")
	t.Setenv("HOME", "=")
	tests := []struct {
		name       string
		env        []string
		wantSecret bool
	}{
		{"nil env is scrubbed", nil, false},
		{"scrubbed", Env(false), false},
		{"inherit", Env(true), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(context.Background(), Spec{Argv: []string{"env"}, Env: tc.env})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(res.Stdout, "SECRET_X=hunter2-token"); got != tc.wantSecret {
				t.Fatalf("SECRET_X visible = %v, want %v; env:\n%s", got, tc.wantSecret, res.Stdout)
			}
			for _, want := range []string{"PATH=", "TERM=dumb", "NO_COLOR=1", "CI="} {
				if !strings.Contains(res.Stdout, want) {
					t.Fatalf("child env lacks %s:\n%s", want, res.Stdout)
				}
			}
			if !tc.wantSecret && strings.Contains(res.Stdout, "HOME==") {
				t.Fatalf("junk HOME passed through:\n%s", res.Stdout)
			}
		})
	}
}

func TestEnvExtraOverrides(t *testing.T) {
	t.Setenv("PATH", "/usr/bin:/bin")
	env := Env(false, "PATH=/opt/x", "EXTRA=1")
	if !slices.Contains(env, "PATH=/opt/x") || slices.Contains(env, "PATH=/usr/bin:/bin") || !slices.Contains(env, "EXTRA=1") {
		t.Fatalf("extra did not override: %v", env)
	}
}
