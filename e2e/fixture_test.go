package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Planted secrets. They sit in the fixture workspace where a careless
// server would hand them out; the leak scan proves none ever leaves mcpd.
const (
	plantedOpenAIKey = "sk-e2eplantedsecretvalue123"
	plantedGitHub    = "ghp_" + "e2eP1antedGithubTokenValue0123456789" // 36 characters after the prefix
	plantedKeyBody   = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQE2EPLANTEDPRIVATEKEYBODY"
	outsideCanary    = "OUTSIDE-CANARY-e2e-7f3a9c"

	// Public canaries: content the tools must return.
	readmeCanary  = "orchid-lantern-42"
	dotDataCanary = "kube-projected-volume-9"
	searchNeedle  = "needle_e2e_marker"
	redacted      = "[REDACTED_SECRET]"
)

// fixture is a git workspace with ordinary files, planted secrets and
// symlinks that point out of it, next to an "outside" directory that no
// request may reach.
type fixture struct {
	Root    string // real path of the workspace
	Outside string // real path of a directory beside it
}

func (f fixture) secrets() map[string]string {
	return map[string]string{
		"the planted OpenAI key (.env)":           plantedOpenAIKey,
		"the planted GitHub token (config.txt)":   plantedGitHub,
		"the planted private key (id_ed25519)":    plantedKeyBody,
		"the outside file's canary (symlink out)": outsideCanary,
	}
}

// newFixture builds the workspace under dir. Tracked files are committed,
// then README.md is modified and untracked files (including the secrets)
// are added, so git_status has something to report and something to hide.
func newFixture(dir string) (fixture, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fixture{}, fmt.Errorf("fixture dir %s: %w", dir, err)
	}
	f := fixture{Root: filepath.Join(real, "ws"), Outside: filepath.Join(real, "outside")}
	tracked := map[string]string{
		"README.md":     "# e2e fixture\n\nThe canary phrase is " + readmeCanary + ".\n",
		"src/app.go":    "package app\n\n// Marker for search: " + searchNeedle + "\nfunc Hello() string { return \"hello\" }\n",
		"docs/guide.md": "# Guide\n\nNothing secret here.\n",
		"config.txt":    "service_url=https://example.invalid/api\nGITHUB_TOKEN=" + plantedGitHub + "\n",
		// Kubernetes-style name: starts with ".." but is inside the root.
		"..data/info.txt": "projected " + dotDataCanary + "\n",
	}
	untracked := map[string]string{
		".env":           "OPENAI_API_KEY=" + plantedOpenAIKey + "\n",
		".ENV":           "OPENAI_API_KEY=" + plantedOpenAIKey + "\n",
		"id_ed25519":     "-----BEGIN OPENSSH PRIVATE KEY-----\n" + plantedKeyBody + "\n-----END OPENSSH PRIVATE KEY-----\n",
		"notes/todo.txt": "write more tests\n",
	}
	if err := writeFiles(f.Outside, map[string]string{"secret.txt": outsideCanary + "\n"}); err != nil {
		return fixture{}, err
	}
	if err := writeFiles(f.Root, tracked); err != nil {
		return fixture{}, err
	}
	if err := git(f.Root, "init", "-q", "-b", "main"); err != nil {
		return fixture{}, err
	}
	if err := git(f.Root, "add", "-A"); err != nil {
		return fixture{}, err
	}
	if err := git(f.Root, "commit", "-q", "-m", "fixture"); err != nil {
		return fixture{}, err
	}
	if err := writeFiles(f.Root, untracked); err != nil {
		return fixture{}, err
	}
	readme := filepath.Join(f.Root, "README.md")
	if err := os.WriteFile(readme, []byte(tracked["README.md"]+"Modified after commit.\n"), 0o644); err != nil {
		return fixture{}, err
	}
	links := map[string]string{
		"out-file": filepath.Join(f.Outside, "secret.txt"),
		"out-dir":  f.Outside,
		"env-link": ".env",
		"key-link": "id_ed25519",
		"ok-link":  "README.md",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(f.Root, name)); err != nil {
			return fixture{}, fmt.Errorf("fixture symlink %s: %w", name, err)
		}
	}
	return f, nil
}

func writeFiles(root string, files map[string]string) error {
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("fixture dir for %s: %w", name, err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return fmt.Errorf("fixture file %s: %w", name, err)
		}
	}
	return nil
}

// git runs with no user or system configuration, so the fixture is the same
// on every machine.
func git(dir string, args ...string) error {
	base := []string{"-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", "-c", "commit.gpgsign=false"}
	cmd := exec.Command("git", append(base, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s in %s: %v: %s", strings.Join(args, " "), dir, err, out)
	}
	return nil
}
