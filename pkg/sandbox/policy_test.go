package sandbox

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want string
	}{
		{"bad mode", Policy{Mode: "on", Workspace: "/w"}, "want auto, landlock or off"},
		{"no workspace", Policy{Mode: ModeAuto}, "workspace is required"},
		{"relative path", Policy{Mode: ModeAuto, Workspace: "/w", ReadDirs: []string{"rel"}}, `"rel" is not absolute`},
		{"off needs nothing", Policy{Mode: ModeOff}, ""},
		{"ok", Policy{Mode: ModeLandlock, Workspace: "/w", TempDir: "/t"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	argv := []string{"go", "test", "./..."}
	none := func() (int, bool, string) { return 0, false, "no landlock in this test" }
	abi6 := func() (int, bool, string) { return 6, true, "" }
	tests := []struct {
		name    string
		p       Policy
		avail   probe
		wantErr string
		wrapped bool
	}{
		{"off never wraps", Policy{Mode: ModeOff}, abi6, "", false},
		{"invalid mode", Policy{Mode: "strict", Workspace: "/w"}, abi6, "want auto, landlock or off", false},
		{"auto without landlock runs unconfined", Policy{Mode: ModeAuto, Workspace: "/w"}, none, "", false},
		{"landlock required but missing refuses", Policy{Mode: ModeLandlock, Workspace: "/w"}, none, "landlock unavailable: no landlock in this test", false},
		{"auto with landlock wraps", Policy{Mode: ModeAuto, Workspace: "/w"}, abi6, "", true},
		{"landlock with landlock wraps", Policy{Mode: ModeLandlock, Workspace: "/w"}, abi6, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.p.wrap(argv, tc.avail)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.wrapped {
				if !slices.Equal(got, argv) {
					t.Fatalf("argv changed: %v", got)
				}
				return
			}
			if len(got) != len(argv)+4 || got[1] != ExecMarker || got[3] != "--" || !slices.Equal(got[4:], argv) {
				t.Fatalf("wrapped argv = %v", got)
			}
		})
	}
}

func TestExposed(t *testing.T) {
	home := "/home/u"
	tests := []struct {
		name string
		p    Policy
		want []string
	}{
		{"workspace inside home", Policy{Mode: ModeAuto, Workspace: "/home/u/src/app"}, nil},
		{"workspace is home", Policy{Mode: ModeAuto, Workspace: home}, []string{filepath.Join(home, ".ssh"), filepath.Join(home, ".codexpro")}},
		{"read dir is home", Policy{Mode: ModeAuto, Workspace: "/w", ReadDirs: []string{home}}, []string{filepath.Join(home, ".aws")}},
		{"cargo home", Policy{Mode: ModeAuto, Workspace: "/w", ReadDirs: []string{filepath.Join(home, ".cargo")}}, []string{filepath.Join(home, ".cargo/credentials.toml")}},
		{"off exposes nothing to report", Policy{Mode: ModeOff, Workspace: home}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.p.Exposed(home)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Fatalf("Exposed = %v, missing %s", got, w)
				}
			}
			if tc.want == nil && got != nil {
				t.Fatalf("Exposed = %v, want none", got)
			}
		})
	}
}

func TestHomeToolchainDirsKeepCredentialsOut(t *testing.T) {
	home := "/home/u"
	p := Policy{Mode: ModeAuto, Workspace: "/w", ReadDirs: HomeToolchainDirs(home)}
	if got := p.Exposed(home); len(got) != 0 {
		t.Fatalf("toolchain dirs expose credentials: %v", got)
	}
	for _, d := range HomeToolchainDirs(home) {
		if d == filepath.Join(home, ".cargo") || d == home {
			t.Fatalf("%s would expose ~/.cargo/credentials.toml or all of home", d)
		}
	}
}
