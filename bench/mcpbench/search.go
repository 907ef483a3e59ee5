package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"time"
)

// blockedGlobs mirror mcpd's default blocked directories, so rg searches
// exactly the files mcpd does.
var blockedGlobs = []string{".git", "node_modules", ".env*", "*.pem", "*.key", "id_rsa*", "id_ed25519*", ".ssh",
	"dist", "build", ".next", "coverage", ".cache", ".aws", ".gnupg", ".netrc", ".npmrc", ".pypirc",
	".git-credentials", "id_ecdsa*", "id_dsa*", "*.p12", "*.pfx", "*.keystore", "*.jks", "terraform.tfstate*",
	"credentials.json", ".codexpro"}

type query struct {
	name, q           string
	regex, ignoreCase bool
}

var queries = []query{
	{"literal", "ErrUnexpectedEOF", false, false},
	{"case-insensitive literal", "errshortwrite", false, true},
	{"regex with a literal", `func \(\w+ \*Reader\) Read\w*`, true, false},
	{"regex with no literal", `[0-9]{5}[a-f]{3}`, true, false},
}

// benchSearch compares mcpd's search tool with rg on the large tree.
func benchSearch(c config) ([]row, error) {
	if c.large == "" {
		return nil, nil
	}
	cl, err := startStdio([]string{c.mcpd, "--root", c.large, "--transport", "stdio", "--tool-mode", "full"}, baseEnv("CODEXPRO_MAX_SEARCH_RESULTS=2000"))
	if err != nil {
		return nil, err
	}
	defer cl.close()
	var rows []row
	for _, q := range queries {
		ours, n, err := timeSearch(cl, q)
		if err != nil {
			return nil, err
		}
		peer, pn, err := timeRG(c, q)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{fmt.Sprintf("search, %s (mcpd %d, rg %d matches)", q.name, n, pn), "ms",
			ms(ours), ms(peer), ratio(float64(ours), float64(peer)), searchTarget(q)})
	}
	return rows, nil
}

func searchTarget(q query) string {
	if q.name == "regex with no literal" {
		return "≤ 4.0"
	}
	return "≤ 1.0 (stretch 0.8)"
}

func timeSearch(cl caller, q query) (time.Duration, int, error) {
	args := map[string]any{"query": q.q, "regex": q.regex, "max_results": 2000}
	if q.ignoreCase {
		args["case_sensitive"] = false
	}
	var s sample
	var n int
	for range 5 {
		t0 := time.Now()
		res, err := toolCall(cl, "search", args)
		if err != nil {
			return 0, 0, err
		}
		s = append(s, time.Since(t0))
		var r struct {
			Structured struct {
				Matches []json.RawMessage `json:"matches"`
			} `json:"structuredContent"`
		}
		_ = json.Unmarshal(res, &r)
		n = len(r.Structured.Matches)
	}
	return s.median(), n, nil
}

func timeRG(c config, q query) (time.Duration, int, error) {
	// mcpd skips files over 4 × CODEXPRO_MAX_READ_BYTES (720,000 by default),
	// as CodexPro 0.30 gave rg --max-filesize; rg gets the same limit.
	args := []string{"-n", "--no-heading", "--color", "never", "--max-filesize", "720000"}
	if !q.regex {
		args = append(args, "-F")
	}
	if q.ignoreCase {
		args = append(args, "-i")
	}
	for _, g := range blockedGlobs {
		args = append(args, "-g", "!"+g)
	}
	args = append(args, "-e", q.q, "--", ".")
	var s sample
	var n int
	for range 5 {
		cmd := exec.Command(c.rg, args...)
		cmd.Dir = c.large
		t0 := time.Now()
		out, err := cmd.Output()
		if err != nil && cmd.ProcessState.ExitCode() != 1 {
			return 0, 0, fmt.Errorf("rg: %w", err)
		}
		s = append(s, time.Since(t0))
		n = bytes.Count(out, []byte("\n"))
	}
	return s.median(), n, nil
}

// benchTree: tree 3 levels deep on the large tree.
func benchTree(c config) ([]row, error) {
	if c.large == "" {
		return nil, nil
	}
	cl, err := startStdio([]string{c.mcpd, "--root", c.large, "--transport", "stdio"}, baseEnv())
	if err != nil {
		return nil, err
	}
	defer cl.close()
	s, err := readLoop(cl, 10, "tree", map[string]any{"max_depth": 3, "max_entries": 3000})
	if err != nil {
		return nil, err
	}
	return []row{{"tree, 3 levels, large tree", "ms", ms(s.median()), "", "", "≤ 50 ms"}}, nil
}

// benchGitStatus compares git_status with raw `git status --porcelain`.
func benchGitStatus(c config) ([]row, error) {
	if c.large == "" {
		return nil, nil
	}
	cl, err := startStdio([]string{c.mcpd, "--root", c.large, "--transport", "stdio", "--tool-mode", "full"}, baseEnv())
	if err != nil {
		return nil, err
	}
	defer cl.close()
	ours, err := readLoop(cl, 5, "git_status", map[string]any{})
	if err != nil {
		return nil, err
	}
	var peer sample
	for range 5 {
		cmd := exec.Command("git", "status", "--porcelain")
		cmd.Dir = c.large
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("git status: %w", err)
		}
		peer = append(peer, time.Since(t0))
	}
	return []row{{"git_status vs git status --porcelain, large tree", "ms", ms(ours.median()), ms(peer.median()),
		ratio(float64(ours.median()), float64(peer.median())), "≤ 1.2"}}, nil
}
