package tools

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"

	"codexpro.dev/mcpd/skills"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

type loadSkillIn struct {
	toolkit.WorkspaceArg
	Name                string `json:"name" jsonschema:"Exact skill name"`
	Source              string `json:"source,omitempty" jsonschema:"workspace, user, plugin or other"`
	Path                string `json:"path,omitempty" jsonschema:"Exact displayed path such as $WORKSPACE/.agents/skills/x/SKILL.md, to pick one of several skills with the same name"`
	IncludeGlobalSkills *bool  `json:"include_global_skills,omitempty" jsonschema:"Search user and plugin skills too (default true unless source=workspace)"`
	MaxSkills           int    `json:"max_skills,omitempty" jsonschema:"Most skills to discover (1 to 500; default 500)"`
	MaxBytes            int    `json:"max_bytes,omitempty" jsonschema:"Most bytes of SKILL.md to return (1000 to 100000; default 40000)"`
}

type loadSkillOut struct {
	WorkspaceID string       `json:"workspace_id"`
	Root        string       `json:"root"`
	Skill       skills.Skill `json:"skill"`
	Bytes       int          `json:"bytes"`
	TotalBytes  int64        `json:"total_bytes"`
	Truncated   bool         `json:"truncated"`
	Text        string       `json:"-"` // returned once, in the text content (as read does)
}

// LoadSkillTool returns one skill's SKILL.md. A workspace skill is read
// through the workspace guard, so a skill folder linked out of the
// workspace is refused.
func LoadSkillTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "load_skill", Title: "Load skill", Kind: toolkit.ReadOnly, Sets: toolkit.Standard | toolkit.Full,
		Description: "Load the SKILL.md of a skill by exact name (from codexpro_inventory or open_workspace include_skills). " +
			"Workspace skills win over user and plugin skills of the same name; pass path to load a specific one.",
	}, loadSkill)
}

func loadSkill(ctx context.Context, e *toolkit.Env, in loadSkillIn) (loadSkillOut, string, error) {
	w := in.Workspace()
	maxSkills, err := intArg("max_skills", in.MaxSkills, skills.MaxAllowed, 1, skills.MaxAllowed)
	if err != nil {
		return loadSkillOut{}, "", err
	}
	maxBytes, err := intArg("max_bytes", in.MaxBytes, 40_000, 1000, 100_000)
	if err != nil {
		return loadSkillOut{}, "", err
	}
	if strings.TrimSpace(in.Name) == "" {
		return loadSkillOut{}, "", toolkit.UserErrorf("name is required.")
	}
	global := boolArg(in.IncludeGlobalSkills, in.Source != "workspace" && !strings.HasPrefix(in.Path, "$WORKSPACE/"))
	all, warnings := skills.Discover(w, skillDirs(e), global, maxSkills)
	s, err := pickSkill(all, in)
	if err != nil {
		if len(warnings) > 0 {
			err = toolkit.UserErrorf("%v. Skipped during discovery: %s", err, strings.Join(warnings, "; "))
		}
		return loadSkillOut{}, "", err
	}
	return readSkill(e, w, s, maxBytes)
}

// pickSkill applies precedence when no path is given; with a path every
// record counts, so a shadowed duplicate can still be loaded.
func pickSkill(all []skills.Skill, in loadSkillIn) (skills.Skill, error) {
	pool := all
	if in.Path == "" {
		pool = skills.Active(all)
	}
	var hits []skills.Skill
	for _, s := range pool {
		if s.Name == in.Name && (in.Source == "" || s.Source == in.Source) && (in.Path == "" || s.Path == in.Path) {
			hits = append(hits, s)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		msg := "Skill not found: " + in.Name
		if in.Path != "" {
			msg += " at " + in.Path
		}
		if similar := similarSkills(all, in.Name); len(similar) > 0 {
			msg += ". Similar skills: " + strings.Join(similar, ", ")
		}
		return skills.Skill{}, toolkit.UserErrorf("%s", msg)
	}
	paths := make([]string, len(hits))
	for i, h := range hits {
		paths[i] = h.Path
	}
	return skills.Skill{}, toolkit.UserErrorf("Multiple exact skill matches remained for %s: %s. Pass path to choose one.", in.Name, strings.Join(paths, ", "))
}

func similarSkills(all []skills.Skill, name string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range all {
		if !seen[s.Name] && strings.Contains(strings.ToLower(s.Name), strings.ToLower(name)) {
			seen[s.Name] = true
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out[:min(len(out), 8)]
}

// readSkill re-resolves the chosen file at read time, so a link swapped in
// after discovery is checked again, and reads at most maxBytes.
func readSkill(e *toolkit.Env, w *workspace.Workspace, s skills.Skill, maxBytes int) (loadSkillOut, string, error) {
	f, err := skills.Open(w, skillDirs(e), s)
	if err != nil {
		return loadSkillOut{}, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(maxBytes)+1))
	if err != nil {
		return loadSkillOut{}, "", fmt.Errorf("read skill %s: %w", s.Path, err)
	}
	out := loadSkillOut{WorkspaceID: w.ID, Root: w.Root, Skill: s, TotalBytes: int64(len(data))}
	if st, ok := f.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil {
			out.TotalBytes = fi.Size()
		}
	}
	if len(data) > maxBytes {
		data, out.Truncated = data[:maxBytes], true
	}
	out.Text, out.Bytes = string(data), len(data)
	text := fmt.Sprintf("# Skill: %s\n\nSource: %s\nPath: %s\n\n```markdown\n%s\n```", s.Name, s.Source, s.Path, out.Text)
	if out.Truncated {
		text += fmt.Sprintf("\n[truncated: increase max_bytes (now %d) to read more of %d bytes]", maxBytes, out.TotalBytes)
	}
	return out, text, nil
}

// skillDirs are the host folders skill discovery searches.
func skillDirs(e *toolkit.Env) skills.Dirs {
	return skills.Dirs{CodexDir: e.Cfg.CodexDir, UserHome: e.Cfg.UserHome}
}
