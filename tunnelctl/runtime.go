package tunnelctl

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"codexpro.dev/pkg/privfile"
)

// RuntimeState describes a live `tunnelctl up`. It never holds a token:
// ConnectorURL has its token replaced by <redacted>.
type RuntimeState struct {
	Version      int        `json:"version"`
	Root         string     `json:"root"`
	PID          int        `json:"pid"`
	Provider     string     `json:"provider"` // cloudflare | ngrok | tailscale
	Tunnel       string     `json:"tunnel"`   // the provider's kind: quick | named | ngrok | funnel
	Endpoint     string     `json:"endpoint,omitempty"`
	ConnectorURL string     `json:"connector_url,omitempty"`
	LocalURL     string     `json:"local_url"`
	StartedAt    time.Time  `json:"started_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Mcpd         ChildState `json:"mcpd"`
	Edge         ChildState `json:"edge"` // the provider's child: cloudflared, ngrok, tailscale's funnel
}

// ChildState is one supervised child as last seen.
type ChildState struct {
	PID         int       `json:"pid"`
	Restarts    int       `json:"restarts"`
	LastHealthy time.Time `json:"last_healthy,omitzero"`
	Path        string    `json:"path,omitempty"`
	Version     string    `json:"version,omitempty"`
	ReadyURL    string    `json:"ready_url,omitempty"` // local URL answering 200 while the provider is ready
	Detached    bool      `json:"detached,omitempty"`  // no process of its own (a setting another daemon keeps)
}

// RuntimeDir is where runtime files live.
func RuntimeDir(home string) string { return filepath.Join(home, "runtime") }

// RuntimePath names the runtime file of one workspace root.
func RuntimePath(home, root string) string {
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(RuntimeDir(home), "tunnel-"+hex.EncodeToString(sum[:])[:24]+".json")
}

// WriteRuntime replaces path atomically with st, mode 0600 in a 0700 directory.
func WriteRuntime(path string, st RuntimeState) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode runtime state: %w", err)
	}
	return privfile.Write(path, append(b, '\n'))
}

// ReadRuntimes returns every runtime file in dir, sorted by root. A file
// that cannot be parsed is reported, not fatal.
func ReadRuntimes(dir string) ([]RuntimeState, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "tunnel-*.json"))
	if err != nil {
		return nil, err
	}
	var out []RuntimeState
	var errs []error
	for _, p := range paths {
		st, err := readRuntime(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Root < out[j].Root })
	return out, errors.Join(errs...)
}

func readRuntime(p string) (RuntimeState, error) {
	var st RuntimeState
	b, err := os.ReadFile(p)
	if err != nil {
		return st, fmt.Errorf("read %s: %w", p, err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("parse %s: %w", p, err)
	}
	return st, nil
}

// removeRuntime deletes path only if it still belongs to pid, so a second
// `tunnelctl up` for the same root keeps its file.
func removeRuntime(path string, pid int) {
	if st, err := readRuntime(path); err == nil && st.PID == pid {
		os.Remove(path)
	}
}

// maskToken is a defensive last step before anything is written to disk.
func maskToken(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "<redacted>")
}

// claimRuntime creates path for st.PID, exclusively: one `tunnelctl up` per
// workspace, because a second one would open a second public tunnel that
// `status` and `down` do not see. A file left by a dead tunnelctl is
// replaced.
func claimRuntime(path string, st RuntimeState) error {
	if err := privateDir(filepath.Dir(path)); err != nil {
		return err
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode runtime state: %w", err)
	}
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, werr := f.Write(append(b, '\n'))
			return errors.Join(werr, f.Close())
		}
		if !errors.Is(err, os.ErrExist) || attempt > 0 {
			return fmt.Errorf("claim %s: %w", path, err)
		}
		old, rerr := readRuntime(path)
		if rerr == nil && alive(old.PID) {
			return alreadyRunning(old)
		}
		if rerr == nil {
			if err := leftovers(old); err != nil {
				return err
			}
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the stale %s: %w", path, err)
		}
	}
}

func alreadyRunning(st RuntimeState) error {
	return fmt.Errorf("a tunnel already runs for this workspace (pid %d, URL %s); tunnelctl down --root %s first",
		st.PID, st.shownURL(), shellQuote(st.Root))
}

// shownURL is the best URL a runtime file knows, token redacted.
func (st RuntimeState) shownURL() string {
	switch {
	case st.ConnectorURL != "":
		return st.ConnectorURL
	case st.Endpoint != "":
		return st.Endpoint
	}
	return "not announced yet"
}

// shellQuote quotes s for a command the user may paste, only when needed.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '~' || r == ':' || r == '+' || r == '@' || r == ',' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
