package sandbox

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.sb from the generator")

// macPolicy is a typical macOS bash call: what mcpd builds from Toolchains.
func macPolicy(net bool) Policy {
	home := "/Users/dev"
	tc := HomeToolchain(home, func(string) string { return "" }).withGo("/usr/local/go", home+"/go/pkg/mod", home+"/Library/Caches/go-build", home+"/Library/Application Support/go/env")
	return Policy{Mode: ModeSeatbelt, Workspace: home + "/src/app", TempDir: "/private/var/folders/xy/T/codexpro-bash-1", Net: net}.Apply(tc)
}

// sbRule is one (allow|deny ...) form of a generated profile.
type sbRule struct {
	allow   bool
	ops     []string
	filters [][2]string // kind (subpath|literal|global-name), value
}

var (
	sbForm   = regexp.MustCompile(`(?s)^\((allow|deny) ([^\n()]*?)(\n.*)?\)$`)
	sbFilter = regexp.MustCompile(`\((subpath|literal|global-name) "((?:[^"\\]|\\.)*)"\)`)
)

// parseProfile reads the forms the generator writes, one per top-level
// parenthesis group, ignoring comments.
func parseProfile(t *testing.T, profile string) []sbRule {
	t.Helper()
	var rules []sbRule
	depth, start := 0, -1
	for i := 0; i < len(profile); i++ {
		switch c := profile[i]; {
		case c == ';' && depth == 0:
			for i < len(profile) && profile[i] != '\n' {
				i++
			}
		case c == '"':
			for i++; i < len(profile) && profile[i] != '"'; i++ {
				if profile[i] == '\\' {
					i++
				}
			}
		case c == '(':
			if depth == 0 {
				start = i
			}
			depth++
		case c == ')':
			if depth--; depth == 0 {
				form := profile[start : i+1]
				m := sbForm.FindStringSubmatch(form)
				if m == nil {
					continue // (version 1)
				}
				r := sbRule{allow: m[1] == "allow", ops: strings.Fields(m[2])}
				for _, f := range sbFilter.FindAllStringSubmatch(m[3], -1) {
					r.filters = append(r.filters, [2]string{f[1], strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(f[2])})
				}
				rules = append(rules, r)
			}
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced profile:\n%s", profile)
	}
	return rules
}

// decide applies Seatbelt's order (the last matching rule wins, deny by
// default) to one operation on one path or service name.
func decide(rules []sbRule, op, target string) bool {
	allowed := false
	for _, r := range rules {
		if !opMatches(r.ops, op) {
			continue
		}
		if len(r.filters) == 0 {
			allowed = r.allow
			continue
		}
		for _, f := range r.filters {
			hit := f[1] == target
			if f[0] == "subpath" {
				hit = within(f[1], target)
			}
			if hit {
				allowed = r.allow
				break
			}
		}
	}
	return allowed
}

func opMatches(ops []string, op string) bool {
	for _, o := range ops {
		if o == op || strings.HasSuffix(o, "*") && strings.HasPrefix(op, strings.TrimSuffix(o, "*")) {
			return true
		}
	}
	return false
}

func TestSeatbeltProfileEnforcesThePolicy(t *testing.T) {
	home := "/Users/dev"
	tests := []struct {
		name, op, path string
		net, want      bool
	}{
		{"workspace writable", "file-write-data", home + "/src/app/main.go", false, true},
		{"workspace readable", "file-read-data", home + "/src/app/go.mod", false, true},
		{"temp dir writable", "file-write-create", "/private/var/folders/xy/T/codexpro-bash-1/x", false, true},
		{"go build cache writable", "file-write-create", home + "/Library/Caches/go-build/00/x", false, true},
		{"git global config readable", "file-read-data", home + "/.gitconfig", false, true},
		{"git XDG config readable", "file-read-data", home + "/.config/git/config", false, true},
		{"Go env file readable", "file-read-data", home + "/Library/Application Support/go/env", false, true},
		{"system binaries readable", "file-read-data", "/usr/bin/git", false, true},
		{"system binaries not writable", "file-write-data", "/usr/bin/git", false, false},
		{"rest of home unreadable", "file-read-data", home + "/Documents/taxes.pdf", false, false},
		{"rest of home not writable", "file-write-create", home + "/.bashrc", false, false},
		{"outside workspace not writable", "file-write-create", home + "/src/other/x", false, false},
		{"ssh keys denied", "file-read-data", home + "/.ssh/id_rsa", false, false},
		{"aws credentials denied", "file-read-data", home + "/.aws/credentials", false, false},
		{"gnupg denied", "file-read-data", home + "/.gnupg/private-keys-v1.d/x.key", false, false},
		{"login keychain denied", "file-read-data", home + "/Library/Keychains/login.keychain-db", false, false},
		{"system keychain denied", "file-read-data", "/Library/Keychains/System.keychain", false, false},
		{"netrc denied", "file-read-data", home + "/.netrc", false, false},
		{"git credentials denied", "file-read-data", home + "/.git-credentials", false, false},
		{"gh token denied", "file-read-data", home + "/.config/gh/hosts.yml", false, false},
		{"npm token denied", "file-read-data", home + "/.npmrc", false, false},
		{"mcpd token denied", "file-read-data", home + "/.codexpro/token", false, false},
		{"network denied by default", "network-outbound", "", false, false},
		{"network allowed with --sandbox-net", "network-outbound", "", true, true},
		{"DNS only with --sandbox-net", "mach-lookup", "com.apple.dnssd.service", false, false},
		{"DNS with --sandbox-net", "mach-lookup", "com.apple.dnssd.service", true, true},
		{"keychain daemon never", "mach-lookup", "com.apple.SecurityServer", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rules := parseProfile(t, macPolicy(tc.net).SeatbeltProfile())
			if got := decide(rules, tc.op, tc.path); got != tc.want {
				t.Fatalf("%s %s: allowed = %v, want %v", tc.op, tc.path, got, tc.want)
			}
		})
	}
}

// TestSeatbeltDeniesCredentialsInsideAWorkspace: with the home directory
// itself as the workspace, Seatbelt still denies the credentials in it
// (Landlock cannot, which Exposed reports).
func TestSeatbeltDeniesCredentialsInsideAWorkspace(t *testing.T) {
	p := macPolicy(false)
	p.Workspace = p.Home
	rules := parseProfile(t, p.SeatbeltProfile())
	if !decide(rules, "file-write-data", p.Home+"/notes.txt") {
		t.Fatal("workspace not writable")
	}
	for _, c := range credentialPaths() {
		if decide(rules, "file-read-data", filepath.Join(p.Home, c, "x")) || decide(rules, "file-read-data", filepath.Join(p.Home, c)) {
			t.Errorf("%s readable inside a home workspace", c)
		}
	}
}

// TestSeatbeltUsesTheLandlockRules: both backends enforce one policy: every
// rule Landlock gets (minus the OS base) appears in the profile with the
// same access.
func TestSeatbeltUsesTheLandlockRules(t *testing.T) {
	p := macPolicy(false)
	rules := parseProfile(t, p.SeatbeltProfile())
	for _, r := range p.Rules(System{}) {
		probe := r.Path
		if r.Tree {
			probe += "/x"
		}
		if !decide(rules, "file-read-data", probe) {
			t.Errorf("%s readable under Landlock but not Seatbelt", r.Path)
		}
		if got := decide(rules, "file-write-data", probe); got != (r.Access == Write) {
			t.Errorf("%s: Seatbelt write = %v, Landlock write = %v", r.Path, got, r.Access == Write)
		}
	}
}

func TestSeatbeltQuotesPaths(t *testing.T) {
	p := macPolicy(false)
	p.Workspace = `/Users/dev/src/we"ird\dir`
	rules := parseProfile(t, p.SeatbeltProfile())
	if !decide(rules, "file-write-data", p.Workspace+"/x") {
		t.Fatal("a quoted workspace path did not survive")
	}
	p.Workspace = "/Users/dev/x\")\n(allow default)\n(\""
	if strings.Contains(p.SeatbeltProfile(), "\n(allow default)") {
		t.Fatal("a path injected a rule")
	}
}

func TestSeatbeltGolden(t *testing.T) {
	for name, net := range map[string]bool{"seatbelt-default.sb": false, "seatbelt-net.sb": true} {
		got := macPolicy(net).SeatbeltProfile()
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestSeatbeltGolden -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from the generator; review and run go test -run TestSeatbeltGolden -update", path)
		}
	}
}
