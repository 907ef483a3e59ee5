package tunnelctl

import (
	"codexpro.dev/pkg/privfile"
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
)

// RuntimeState describes a live `tunnelctl up`. It never holds a token:
// ConnectorURL has its token replaced by <redacted>.
type RuntimeState struct {
	Version      int        `json:"version"`
	Root         string     `json:"root"`
	PID          int        `json:"pid"`
	Tunnel       string     `json:"tunnel"` // quick | named
	Endpoint     string     `json:"endpoint,omitempty"`
	ConnectorURL string     `json:"connector_url,omitempty"`
	LocalURL     string     `json:"local_url"`
	StartedAt    time.Time  `json:"started_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Mcpd         ChildState `json:"mcpd"`
	Cloudflared  ChildState `json:"cloudflared"`
}

// ChildState is one supervised child as last seen.
type ChildState struct {
	PID         int       `json:"pid"`
	Restarts    int       `json:"restarts"`
	LastHealthy time.Time `json:"last_healthy,omitzero"`
	Path        string    `json:"path,omitempty"`
	Version     string    `json:"version,omitempty"`
	MetricsAddr string    `json:"metrics_addr,omitempty"`
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
