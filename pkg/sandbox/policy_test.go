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
	off, err := Policy{Mode: ModeOff}.Wrap(argv)
	if err != nil || !slices.Equal(off, argv) {
		t.Fatalf("off mode changed argv: %v %v", off, err)
	}
	if _, err := (Policy{Mode: "strict"}).Wrap(argv); err == nil {
		t.Fatal("invalid mode accepted")
	}
	_, ok, _ := Available()
	got, err := Policy{Mode: ModeLandlock, Workspace: "/w"}.Wrap(argv)
	if !ok {
		if err == nil || !strings.Contains(err.Error(), "landlock unavailable") {
			t.Fatalf("required landlock without kernel support: err = %v", err)
		}
		return
	}
	if err != nil || len(got) != len(argv)+4 || got[1] != ExecMarker || got[3] != "--" || !slices.Equal(got[4:], argv) {
		t.Fatalf("wrapped argv = %v, err %v", got, err)
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
