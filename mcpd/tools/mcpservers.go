package tools

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

// MCPServer is a configured MCP server, by name only: commands, arguments,
// URLs and env values are never read into the result.
type MCPServer struct {
	Name   string `json:"name"`
	Source string `json:"source"`
}

const (
	mcpConfigMaxBytes = 200_000
	maxMCPServers     = 120
)

var codexMCPSection = regexp.MustCompile(`^\s*\[(?:mcp_servers|mcpServers)\.("?)([^"\].]+)"?\]\s*$`)

// mcpServers lists server names from the Codex config, the workspace's
// .mcp.json and .cursor/mcp.json, and the user's ~/.cursor/mcp.json.
func mcpServers(e *toolkit.Env, w *workspace.Workspace, global bool) []MCPServer {
	var out []MCPServer
	add := func(source string, names []string) {
		for _, n := range names {
			out = append(out, MCPServer{Name: n, Source: source})
		}
	}
	if global && e.Cfg.CodexDir != "" {
		add("user codex config", codexTOMLServers(readHostConfig(filepath.Join(e.Cfg.CodexDir, "config.toml"))))
	}
	for _, c := range []struct{ rel, source string }{{".mcp.json", "workspace config"}, {".cursor/mcp.json", "workspace cursor config"}} {
		if data, _, err := w.ReadFile(c.rel, mcpConfigMaxBytes); err == nil {
			add(c.source, jsonServers(data))
		}
	}
	if global && e.Cfg.UserHome != "" {
		add("user cursor config", jsonServers(readHostConfig(filepath.Join(e.Cfg.UserHome, ".cursor", "mcp.json"))))
	}
	return dedupeServers(out)
}

func readHostConfig(p string) []byte {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	data, _ := io.ReadAll(io.LimitReader(f, mcpConfigMaxBytes))
	return data
}

func codexTOMLServers(data []byte) []string {
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if m := codexMCPSection.FindStringSubmatch(sc.Text()); m != nil {
			names = append(names, m[2])
		}
	}
	return names
}

func jsonServers(data []byte) []string {
	var doc struct {
		MCPServers map[string]json.RawMessage `json:"mcpServers"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	names := make([]string, 0, len(doc.MCPServers))
	for n := range doc.MCPServers {
		names = append(names, n)
	}
	return names
}

func dedupeServers(in []MCPServer) []MCPServer {
	seen := map[MCPServer]bool{}
	var out []MCPServer
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Source < out[j].Source
	})
	if len(out) > maxMCPServers {
		out = out[:maxMCPServers]
	}
	return out
}
