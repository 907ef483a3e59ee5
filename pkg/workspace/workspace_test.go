package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture builds a workspace next to an "outside" directory holding a secret,
// with every kind of hostile entry the guard must handle.
func fixture(t testing.TB) (ws *Workspace, root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "ws")
	outside = filepath.Join(base, "outside")
	files := map[string]string{
		"outside/secret.txt":            "OUTSIDE-SECRET",
		"ws/README.md":                  "hello\n",
		"ws/src/main.go":                "package main\n",
		"ws/..data/file.txt":            "kube projected file\n",
		"ws/.env":                       "OPENAI_API_KEY=sk-planted\n",
		"ws/.ENV":                       "X=1\n",
		"ws/.Env.local":                 "X=1\n",
		"ws/Node_Modules/x.js":          "x\n",
		"ws/server.KEY":                 "key\n",
		"ws/.git/config":                "[core]\n",
		"ws/id_ed25519":                 "key\n",
		"ws/sub/.ssh/id":                "key\n",
		"ws/.ssh":                       "not a dir but blocked\n",
		"ws/.aws/credentials":           "k\n",
		"ws/terraform.tfstate.backup":   "{}\n",
		"ws/a.p12":                      "x\n",
		"ws/dist/x.js":                  "x\n",
		"ws/.npmrc":                     "//registry/:_authToken=x\n",
		"ws/config/credentials.json":    "{}\n",
		"ws/.docker/config.json":        "{}\n",
		"ws/bin.dat":                    "ab\x00cd",
		"ws/big.txt":                    strings.Repeat("x", 5000),
		"ws/.codexpro-notes/readme.txt": "x\n",
	}
	for name, body := range files {
		p := filepath.Join(base, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(body), 0o644))
	}
	links := map[string]string{
		"out":     "../outside",
		"outfile": filepath.Join(outside, "secret.txt"),
		"envlink": ".env",
		"inlink":  "src/main.go",
		"abslink": filepath.Join(root, "src", "main.go"),
		"dirlink": "src",
		"gitlink": ".git",
		"loop":    "loop",
		"deep":    "src/../../outside/secret.txt",
	}
	for name, target := range links {
		must(t, os.Symlink(target, filepath.Join(root, name)))
	}
	bl, err := NewBlocklist(nil)
	must(t, err)
	roots, err := NewRoots([]string{root}, bl, Limits{MaxReadBytes: 180000})
	must(t, err)
	t.Cleanup(roots.Close)
	ws, err = roots.Default()
	must(t, err)
	return ws, root, outside
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestReadFileGuard(t *testing.T) {
	ws, root, _ := fixture(t)
	cases := []struct {
		path, rule, want string
	}{
		{"README.md", "", "hello\n"},
		{"./src/../README.md", "", "hello\n"},
		{filepath.Join(root, "README.md"), "", "hello\n"},
		{"inlink", "", "package main\n"},
		{"abslink", "", "package main\n"},
		{"dirlink/main.go", "", "package main\n"},
		{"..data/file.txt", "", "kube projected file\n"},
		{"../outside/secret.txt", RuleEscape, ""},
		{"src/../../outside/secret.txt", RuleEscape, ""},
		{"/etc/passwd", RuleEscape, ""},
		{"~", RuleEscape, ""},
		{"~/.ssh/id_rsa", RuleEscape, ""},
		{"~root/.bashrc", RuleEscape, ""},
		{"out/secret.txt", RuleSymlinkEscape, ""},
		{"outfile", RuleSymlinkEscape, ""},
		{"deep", RuleSymlinkEscape, ""},
		{".env", RuleBlocked, ""},
		{".ENV", RuleBlocked, ""},
		{".Env.local", RuleBlocked, ""},
		{"envlink", RuleBlocked, ""},
		{"Node_Modules/x.js", RuleBlocked, ""},
		{"server.KEY", RuleBlocked, ""},
		{".git/config", RuleBlocked, ""},
		{".GIT/config", RuleBlocked, ""},
		{"gitlink/config", RuleBlocked, ""},
		{"id_ed25519", RuleBlocked, ""},
		{"sub/.ssh/id", RuleBlocked, ""},
		{".ssh", RuleBlocked, ""},
		{".aws/credentials", RuleBlocked, ""},
		{"terraform.tfstate.backup", RuleBlocked, ""},
		{"a.p12", RuleBlocked, ""},
		{"dist/x.js", RuleBlocked, ""},
		{".npmrc", RuleBlocked, ""},
		{"config/credentials.json", RuleBlocked, ""},
		{".docker/config.json", RuleBlocked, ""},
		{"a\x00b", RuleInvalidPath, ""},
		{"loop", RuleInvalidPath, ""},
		{"bin.dat", RuleBinary, ""},
		{"big.txt", RuleTooLarge, ""},
		{"src", RuleNotFile, ""},
		{"missing.txt", RuleNotFound, ""},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.path, "/", "|"), func(t *testing.T) {
			data, _, err := ws.ReadFile(c.path, 4000)
			if c.rule == "" {
				if err != nil || string(data) != c.want {
					t.Fatalf("ReadFile(%q) = %q, %v; want %q", c.path, data, err, c.want)
				}
				return
			}
			if got := RuleOf(err); got != c.rule {
				t.Fatalf("ReadFile(%q) rule = %q (err %v, data %q); want %q", c.path, got, err, data, c.rule)
			}
			if !strings.Contains(err.Error(), "[rule: "+c.rule+"]") {
				t.Fatalf("error %q does not name its rule", err)
			}
			if strings.Contains(err.Error(), "OUTSIDE-SECRET") || strings.Contains(err.Error(), "sk-planted") {
				t.Fatalf("error leaks content: %v", err)
			}
		})
	}
}

func TestBlocklistExtraAndInvalid(t *testing.T) {
	bl, err := NewBlocklist([]string{"secrets/**", "*.sqlite"})
	must(t, err)
	for _, p := range []string{"secrets/a.txt", "SECRETS/A", "x/db.SQLite", ".env.example", ".envrc.d/x"} {
		if _, ok := bl.Match(p); !ok {
			t.Errorf("%s not blocked", p)
		}
	}
	for _, p := range []string{".", "", "src/main.go", ".gitignore", ".github/workflows/ci.yml", ".ai-bridge/current-plan.md", "..data/x", "builder/x", "id_map.go", "src/identity.go", "environment.go"} {
		if g, ok := bl.Match(p); ok {
			t.Errorf("%s blocked by %q", p, g)
		}
	}
	if _, err := NewBlocklist([]string{"a/[b"}); err == nil || !strings.Contains(err.Error(), "CODEXPRO_BLOCKED_GLOBS") {
		t.Fatalf("invalid glob error = %v; want it to name CODEXPRO_BLOCKED_GLOBS", err)
	}
}

func TestRootsOpen(t *testing.T) {
	ws, root, outside := fixture(t)
	roots, err := NewRoots([]string{root}, ws.blocked, ws.limits)
	must(t, err)
	defer roots.Close()
	sub, err := roots.Open("src")
	must(t, err)
	if sub.Root != filepath.Join(root, "src") || sub.ID != ID(sub.Root) {
		t.Fatalf("sub workspace = %s %s", sub.Root, sub.ID)
	}
	if again, _ := roots.Open(filepath.Join(root, "src")); again != sub {
		t.Fatal("reopening did not reuse the workspace")
	}
	if _, err := roots.Open(outside); RuleOf(err) != RuleOutsideRoots {
		t.Fatalf("outside root: %v", err)
	}
	if _, err := roots.Open("out"); RuleOf(err) != RuleOutsideRoots {
		t.Fatalf("symlink to outside root: %v", err)
	}
	if _, err := roots.Open("README.md"); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("file as root: %v", err)
	}
	for _, blocked := range []string{".git", "Node_Modules", "sub/.ssh"} {
		if err := os.MkdirAll(filepath.Join(root, blocked), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := roots.Open(blocked); RuleOf(err) != RuleBlocked {
			t.Errorf("opening blocked directory %s as a workspace: %v", blocked, err)
		}
	}
	if w, ok := roots.ByID(ID(root)); !ok || w.Root != root {
		t.Fatalf("ByID(default) = %v, %v", w, ok)
	}
	if _, err := NewRoots([]string{filepath.Join(root, "nope")}, ws.blocked, ws.limits); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing root: %v", err)
	}
}

func TestFSHidesBlockedAndTemp(t *testing.T) {
	ws, root, _ := fixture(t)
	must(t, os.WriteFile(filepath.Join(root, ".README.md"+tempMarker+"abc.tmp"), []byte("half"), 0o644))
	entries, err := ws.FS().(interface {
		ReadDir(string) ([]os.DirEntry, error)
	}).ReadDir(".")
	must(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	got := strings.Join(names, " ")
	for _, hidden := range []string{".env", ".git", "dist", "Node_Modules", "server.KEY", ".README.md" + tempMarker + "abc.tmp"} {
		if strings.Contains(" "+got+" ", " "+hidden+" ") {
			t.Errorf("listing shows %q: %s", hidden, got)
		}
	}
	if !strings.Contains(got, "README.md") || !strings.Contains(got, "..data") {
		t.Errorf("listing lost normal entries: %s", got)
	}
}
