package tools

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/internal/wstest"
	"codexpro.dev/mcpd/toolkit"
)

func skillDoc(name, desc string) string {
	return "---\nname: " + name + "\ndescription: \"" + desc + "\"\n---\n\n# " + name + "\n\nDo the thing.\n"
}

// skillFixture builds a workspace, a fake home with ~/.codex, and links:
// one skill folder linked inside the workspace, one linked out of it, and
// a SKILL.md that is really a link to another file.
func skillFixture(t *testing.T) (*toolkit.Env, string, string) {
	t.Helper()
	e, root := newTestEnv(t, map[string]string{
		".agents/skills/alpha/SKILL.md":   skillDoc("alpha", "workspace alpha"),
		"shared/beta/SKILL.md":            skillDoc("beta", "reached through a link"),
		".codex/skills/gamma/SKILL.md":    skillDoc("gamma", "codex folder"),
		"notes/private.txt":               "not a skill",
		".mcp.json":                       `{"mcpServers":{"db":{"command":"psql-secret-cmd","env":{"PGPASSWORD":"hunter2"}}}}`,
		"skills/deep/a/b/c/d/SKILL.md":    skillDoc("too-deep", "below the depth limit"),
		"skills/node_modules/x/SKILL.md":  skillDoc("nm", "never"),
		".agents/skills/trap/placeholder": "",
	})
	outside := t.TempDir()
	wstest.WriteFile(t, filepath.Join(outside, "evil", "SKILL.md"), skillDoc("evil", "outside the workspace"))
	symlink(t, "../../shared/beta", filepath.Join(root, ".agents/skills/beta"))
	symlink(t, filepath.Join(outside, "evil"), filepath.Join(root, ".agents/skills/evil"))
	symlink(t, "../../../notes/private.txt", filepath.Join(root, ".agents/skills/trap/SKILL.md"))

	home := t.TempDir()
	e.Cfg.UserHome, e.Cfg.CodexDir = home, filepath.Join(home, ".codex")
	wstest.WriteFile(t, filepath.Join(home, ".codex/skills/alpha/SKILL.md"), skillDoc("alpha", "user alpha"))
	wstest.WriteFile(t, filepath.Join(home, ".codex/skills/delta/SKILL.md"), skillDoc("delta", "user delta"))
	wstest.WriteFile(t, filepath.Join(home, ".codex/plugins/cache/p/v1/skills/eps/SKILL.md"), skillDoc("epsilon", "plugin"))
	wstest.WriteFile(t, filepath.Join(home, ".ssh/keys/SKILL.md"), skillDoc("sshkey", "must not be followed"))
	symlink(t, filepath.Join(home, ".ssh/keys"), filepath.Join(home, ".agents/skills/keys"))
	wstest.WriteFile(t, filepath.Join(home, ".codex/config.toml"), "[mcp_servers.github]\ncommand = \"gh-secret-cmd\"\nargs = [\"--token\", \"abc\"]\n[mcp_servers.\"docs\"]\nurl = \"https://x\"\n")
	return e, root, home
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func TestInventorySkillsAndServers(t *testing.T) {
	e, _, _ := skillFixture(t)
	r := callTool(t, e, "codexpro_inventory", nil)
	s := mustOK(t, r)
	var out inventoryOut
	raw, _ := json.Marshal(s)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, sk := range out.Skills {
		got[sk.Name] = sk.Source + " " + sk.Path
	}
	want := map[string]string{
		"alpha":   "workspace $WORKSPACE/.agents/skills/alpha/SKILL.md", // the workspace copy wins over ~/.codex/skills/alpha
		"beta":    "workspace $WORKSPACE/.agents/skills/beta/SKILL.md",  // through a symlinked folder inside the workspace
		"gamma":   "workspace $WORKSPACE/.codex/skills/gamma/SKILL.md",
		"delta":   "user ~/.codex/skills/delta/SKILL.md",
		"epsilon": "plugin ~/.codex/plugins/cache/p/v1/skills/eps/SKILL.md",
	}
	if len(got) != len(want) {
		t.Errorf("skills = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("skill %s = %q, want %q", k, got[k], v)
		}
	}
	servers := map[string]string{}
	for _, m := range out.MCPServers {
		servers[m.Name] = m.Source
	}
	if servers["github"] != "user codex config" || servers["docs"] != "user codex config" || servers["db"] != "workspace config" {
		t.Errorf("mcp servers = %v", servers)
	}
	for _, leak := range []string{"gh-secret-cmd", "psql-secret-cmd", "hunter2", "--token", "private.txt\"", "must not be followed"} {
		if strings.Contains(string(raw)+resultText(r), leak) {
			t.Errorf("inventory leaks %q", leak)
		}
	}
}

func TestLoadSkill(t *testing.T) {
	e, _, _ := skillFixture(t)
	tests := []struct {
		name string
		args map[string]any
		want string // text the skill must contain, or "" when it must fail
		err  string
	}{
		{"workspace wins", map[string]any{"name": "alpha"}, "workspace alpha", ""},
		{"shadowed copy by path", map[string]any{"name": "alpha", "path": "~/.codex/skills/alpha/SKILL.md"}, "user alpha", ""},
		{"through a symlinked folder", map[string]any{"name": "beta"}, "reached through a link", ""},
		{"plugin", map[string]any{"name": "epsilon"}, "plugin", ""},
		{"workspace only", map[string]any{"name": "delta", "source": "workspace"}, "", "Skill not found: delta"},
		{"link out of the workspace", map[string]any{"name": "evil"}, "", "outside workspace root through a symlink"},
		{"SKILL.md linked to another file", map[string]any{"name": "trap"}, "", "does not resolve to a file named SKILL.md"},
		{"user folder linked into ~/.ssh", map[string]any{"name": "sshkey"}, "", "Skill not found"},
		{"similar names", map[string]any{"name": "alp"}, "", "Similar skills: alpha"},
		{"max_bytes range", map[string]any{"name": "alpha", "max_bytes": 5}, "", "max_bytes must be between"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := callTool(t, e, "load_skill", tc.args)
			if tc.err != "" {
				mustFail(t, r, tc.err)
				return
			}
			mustOK(t, r)
			if !strings.Contains(resultText(r), tc.want) {
				t.Fatalf("loaded %q, want it to contain %q", resultText(r), tc.want)
			}
		})
	}
}

func TestLoadSkillTruncates(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{".agents/skills/big/SKILL.md": skillDoc("big", "x") + strings.Repeat("line\n", 1000)})
	r := callTool(t, e, "load_skill", map[string]any{"name": "big", "max_bytes": 1000, "include_global_skills": false})
	s := mustOK(t, r)
	if s["truncated"] != true || s["bytes"] != 1000.0 || !strings.Contains(resultText(r), "[truncated: increase max_bytes") {
		t.Fatalf("truncation: %v bytes, truncated %v", s["bytes"], s["truncated"])
	}
}

func TestOpenWorkspaceListsSkills(t *testing.T) {
	e, _, _ := skillFixture(t)
	s := mustOK(t, callTool(t, e, "open_current_workspace", map[string]any{"include_skills": true}))
	if got := strings.Join(toStrings(s["skills"]), ","); got != "gamma,alpha,beta" {
		t.Errorf("workspace skills = %s", got)
	}
	s = mustOK(t, callTool(t, e, "open_current_workspace", map[string]any{"include_skills": true, "include_global_skills": true}))
	counts := s["skill_counts"].(map[string]any)
	if counts["total"] != 5.0 || counts["workspace"] != 3.0 || counts["user"] != 1.0 || counts["plugin"] != 1.0 {
		t.Errorf("skill_counts = %v", counts)
	}
}
