package skills

import (
	"os"
	"path/filepath"
	"testing"

	"codexpro.dev/mcpd/internal/wstest"
)

func skillDoc(name string) string { return "---\nname: " + name + "\ndescription: \"d\"\n---\n" }

// TestDiscoverRefusesEscapes: a workspace skill folder linked out of the
// workspace, a SKILL.md linked to another file and a host skill folder
// linked onto a blocked path are skipped with warnings; precedence keeps
// the workspace skill over the user's of the same name; Open re-checks.
func TestDiscoverRefusesEscapes(t *testing.T) {
	w, root := wstest.Workspace(t, map[string]string{
		".agents/skills/alpha/SKILL.md":   skillDoc("alpha"),
		"notes/private.txt":               "not a skill",
		".agents/skills/trap/placeholder": "",
	})
	outside, home := t.TempDir(), t.TempDir()
	wstest.WriteFile(t, filepath.Join(outside, "evil", "SKILL.md"), skillDoc("evil"))
	wstest.WriteFile(t, filepath.Join(home, ".codex", "skills", "alpha", "SKILL.md"), skillDoc("alpha"))
	wstest.WriteFile(t, filepath.Join(home, ".ssh", "keys", "SKILL.md"), skillDoc("sshkey"))
	for link, target := range map[string]string{
		filepath.Join(root, ".agents/skills/evil"):          filepath.Join(outside, "evil"),
		filepath.Join(root, ".agents/skills/trap/SKILL.md"): "../../../notes/private.txt",
		filepath.Join(home, ".agents", "skills", "keys"):    filepath.Join(home, ".ssh", "keys"),
	} {
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("cannot create a symlink here: %v", err)
		}
	}
	all, warnings := Discover(w, Dirs{CodexDir: filepath.Join(home, ".codex"), UserHome: home}, true, MaxAllowed)
	names := map[string]bool{}
	for _, s := range all {
		names[s.Name] = true
	}
	if !names["alpha"] || names["evil"] || names["sshkey"] || names["trap"] || len(all) != 2 {
		t.Fatalf("discovered %+v (warnings %v): want the two alpha skills only", all, warnings)
	}
	if len(warnings) < 2 {
		t.Fatalf("refusals not reported: %v", warnings)
	}
	active := Active(all)
	if len(active) != 1 || active[0].Source != "workspace" {
		t.Fatalf("active = %+v, want the workspace alpha", active)
	}
	f, err := Open(w, Dirs{UserHome: home}, active[0])
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// Swapped for a link out of the workspace after discovery: refused at read time.
	dir := filepath.Join(root, ".agents/skills/alpha")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "evil"), dir); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(w, Dirs{UserHome: home}, active[0]); err == nil {
		t.Fatal("Open followed a link swapped in after discovery")
	}
}
