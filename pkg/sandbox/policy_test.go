package sandbox

import (
	"os"
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
		{"bad mode", Policy{Mode: "on", Workspace: "/w"}, "want auto, landlock, seatbelt, off"},
		{"no workspace", Policy{Mode: ModeAuto}, "workspace is required"},
		{"relative path", Policy{Mode: ModeAuto, Workspace: "/w", ReadDirs: []string{"rel"}}, `"rel" is not absolute`},
		{"relative config file", Policy{Mode: ModeAuto, Workspace: "/w", ReadFiles: []string{".gitconfig"}}, `".gitconfig" is not absolute`},
		{"control character", Policy{Mode: ModeSeatbelt, Workspace: "/w\")\n(allow default"}, "control character"},
		{"off needs nothing", Policy{Mode: ModeOff}, ""},
		{"ok", Policy{Mode: ModeLandlock, Workspace: "/w", TempDir: "/t"}, ""},
		{"seatbelt ok", Policy{Mode: ModeSeatbelt, Workspace: "/w", Home: "/home/u"}, ""},
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

// fakeBackend stands in for an OS backend: name "" is a system without one.
func fakeBackend(name string, ok bool) backend {
	return backend{
		name:      name,
		available: func() (int, bool, string) { return 1, ok, "not in this test" },
		wrap: func(p Policy, argv []string) ([]string, error) {
			return append([]string{"confine-" + name, "--"}, argv...), nil
		},
		describe: func(p Policy, _ int) string { return name + " on" },
	}
}

func TestWrap(t *testing.T) {
	argv := []string{"go", "test", "./..."}
	tests := []struct {
		name    string
		p       Policy
		b       backend
		wantErr string
		wrapped bool
	}{
		{"off never wraps", Policy{Mode: ModeOff}, fakeBackend("landlock", true), "", false},
		{"invalid mode", Policy{Mode: "strict", Workspace: "/w"}, fakeBackend("landlock", true), "want auto, landlock, seatbelt, off", false},
		{"auto without the backend runs unconfined", Policy{Mode: ModeAuto, Workspace: "/w"}, fakeBackend("landlock", false), "", false},
		{"auto on an OS without a sandbox runs unconfined", Policy{Mode: ModeAuto, Workspace: "/w"}, fakeBackend("", false), "", false},
		{"landlock required but missing refuses", Policy{Mode: ModeLandlock, Workspace: "/w"}, fakeBackend("landlock", false), "landlock unavailable: not in this test", false},
		{"seatbelt required but missing refuses", Policy{Mode: ModeSeatbelt, Workspace: "/w"}, fakeBackend("seatbelt", false), "seatbelt unavailable", false},
		{"landlock asked on macOS refuses", Policy{Mode: ModeLandlock, Workspace: "/w"}, fakeBackend("seatbelt", true), "not available on this system (this OS uses seatbelt)", false},
		{"seatbelt asked on Linux refuses", Policy{Mode: ModeSeatbelt, Workspace: "/w"}, fakeBackend("landlock", true), "not available on this system (this OS uses landlock)", false},
		{"seatbelt asked on Windows refuses", Policy{Mode: ModeSeatbelt, Workspace: "/w"}, fakeBackend("", false), "no sandbox CodexPro can use", false},
		{"auto with landlock wraps", Policy{Mode: ModeAuto, Workspace: "/w"}, fakeBackend("landlock", true), "", true},
		{"auto with seatbelt wraps", Policy{Mode: ModeAuto, Workspace: "/w"}, fakeBackend("seatbelt", true), "", true},
		{"landlock with landlock wraps", Policy{Mode: ModeLandlock, Workspace: "/w"}, fakeBackend("landlock", true), "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.p.wrap(argv, tc.b)
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
			if len(got) != len(argv)+2 || got[0] != "confine-"+tc.b.name || !slices.Equal(got[2:], argv) {
				t.Fatalf("wrapped argv = %v", got)
			}
		})
	}
}

// TestWrapCreatesCachesFirst: a cache dir that does not exist yet (a fresh
// GOCACHE) is created before confinement, which cannot allow a missing path.
func TestWrapCreatesCachesFirst(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "home", ".cache", "go-build")
	p := Policy{Mode: ModeAuto, Workspace: "/w", WriteDirs: []string{cache}}
	if _, err := p.wrap([]string{"true"}, fakeBackend("landlock", true)); err != nil {
		t.Fatal(err)
	}
	if !isDir(cache) {
		t.Fatal("cache dir not created before confinement")
	}
}

func TestActiveSaysWhatHolds(t *testing.T) {
	tests := []struct {
		p      Policy
		b      backend
		active bool
		want   string
	}{
		{Policy{Mode: ModeOff}, fakeBackend("landlock", true), false, "sandbox off"},
		{Policy{Mode: ModeAuto}, fakeBackend("", false), false, "no OS sandbox on this system, children run unconfined"},
		{Policy{Mode: ModeAuto}, fakeBackend("landlock", false), false, "landlock unavailable, children run unconfined"},
		{Policy{Mode: ModeAuto}, fakeBackend("seatbelt", true), true, "seatbelt on"},
	}
	for _, tc := range tests {
		active, why := tc.p.active(tc.b)
		if active != tc.active || !strings.Contains(why, tc.want) {
			t.Errorf("active(%s, %q) = %v, %q; want %v, %q", tc.p.Mode, tc.b.name, active, why, tc.active, tc.want)
		}
	}
}

func TestExposed(t *testing.T) {
	home := "/home/u"
	landlock := fakeBackend("landlock", true)
	carving := fakeBackend("seatbelt", true)
	carving.carves = true
	tests := []struct {
		name string
		p    Policy
		b    backend
		want []string
	}{
		{"workspace inside home", Policy{Mode: ModeAuto, Workspace: "/home/u/src/app", Home: home}, landlock, nil},
		{"workspace is home", Policy{Mode: ModeAuto, Workspace: home, Home: home}, landlock, []string{filepath.Join(home, ".ssh"), filepath.Join(home, ".codexpro")}},
		{"read dir is home", Policy{Mode: ModeAuto, Workspace: "/w", ReadDirs: []string{home}}, landlock, []string{filepath.Join(home, ".aws")}},
		{"cargo home", Policy{Mode: ModeAuto, Workspace: "/w", ReadDirs: []string{filepath.Join(home, ".cargo")}}, landlock, []string{filepath.Join(home, ".cargo/credentials.toml")}},
		{"seatbelt carves the holes", Policy{Mode: ModeAuto, Workspace: home, Home: home}, carving, nil},
		{"off exposes nothing to report", Policy{Mode: ModeOff, Workspace: home}, landlock, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.p.exposed(home, tc.b)
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

// TestHomeToolchainKeepsCredentialsOut: the toolchain's reads and writes
// under home name configuration and caches, never a credential location.
func TestHomeToolchainKeepsCredentialsOut(t *testing.T) {
	home := "/home/u"
	tc := HomeToolchain(home, func(string) string { return "" }).withGo("/usr/local/go", home+"/go/pkg/mod", home+"/.cache/go-build", home+"/.config/go/env")
	p := Policy{Mode: ModeAuto, Workspace: "/w"}.Apply(tc)
	if got := p.exposed(home, fakeBackend("landlock", true)); len(got) != 0 {
		t.Fatalf("toolchain paths expose credentials: %v", got)
	}
	rules := p.Rules(LinuxSystem())
	for _, c := range credentialPaths() {
		if readable(rules, filepath.Join(home, c)) || readable(rules, filepath.Join(home, c, "x")) {
			t.Errorf("%s is readable under the toolchain policy", c)
		}
	}
	for _, want := range []string{".gitconfig", ".config/git/config", ".config/go/env"} {
		if !readable(rules, filepath.Join(home, want)) {
			t.Errorf("toolchain config %s is not readable", want)
		}
	}
	if !slices.Contains(p.WriteDirs, home+"/.cache/go-build") || p.Home != home {
		t.Fatalf("GOCACHE not writable or home unset: %+v", p)
	}
	// XDG_CONFIG_HOME moves git's XDG config, not its credentials.
	xdg := HomeToolchain(home, func(k string) string { return map[string]string{"XDG_CONFIG_HOME": "/cfg"}[k] })
	if !slices.Contains(xdg.ReadFiles, "/cfg/git/config") || slices.Contains(xdg.ReadFiles, "/cfg/git/credentials") {
		t.Fatalf("XDG config files = %v", xdg.ReadFiles)
	}
}

// readable reports whether rules let a child read path.
func readable(rules []PathRule, path string) bool {
	return slices.ContainsFunc(rules, func(r PathRule) bool {
		if r.Tree {
			return within(r.Path, path)
		}
		return r.Path == path
	})
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
