package handoff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func installExample(t *testing.T, home string) string {
	t.Helper()
	dir := PluginsDir(home)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(exampleBin)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "handoff-agent-example")
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestThirdPartyPluginRunsOnlyWhilePinned(t *testing.T) {
	f := newFixture(t)
	f.agent("aider", `echo "Aider v0.0-fake"; echo "aider: edited work.txt" >> work.txt`)
	bin := installExample(t, f.home)
	o := f.opts("example")
	if _, err := Execute(t.Context(), o, f.io()); err == nil || !strings.Contains(err.Error(), "not trusted") || !strings.Contains(err.Error(), "handoff plugins trust example") {
		t.Fatalf("untrusted plugin err = %v", err)
	}
	if f.argv("aider") != nil {
		t.Fatal("the untrusted adapter ran its agent")
	}
	if _, err := TrustPlugin(f.home, "example", strings.Repeat("0", 64), time.Now()); err == nil || !strings.Contains(err.Error(), "not the expected") {
		t.Fatalf("trust with a wrong expected hash err = %v", err)
	}
	pin, err := TrustPlugin(f.home, "example", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(f.home, TrustFileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("pin store mode = %v, %v", fi, err)
	}
	code, err := Execute(t.Context(), o, f.io())
	if err != nil || code != 0 {
		t.Fatalf("trusted plugin = %d, %v\n%s", code, err, f.err.String())
	}
	want := []string{"--yes-always", "--no-auto-commits", "--message-file", f.root + "/.ai-bridge/current-plan.md"}
	if got := f.argv("aider"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("aider argv = %q", got)
	}
	list, err := ListPlugins(builtinDir, f.home)
	if err != nil || len(list) != 4 || list[3].Status != "ready" || list[3].SHA256 != pin.SHA256 {
		t.Fatalf("list = %+v, %v", list, err)
	}
	// A rebuilt (here: appended-to) binary no longer matches the pin.
	fh, err := os.OpenFile(bin, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fh.Write([]byte("tampered"))
	fh.Close()
	os.Remove(filepath.Join(f.bin, "aider.argv"))
	if _, err := Execute(t.Context(), o, f.io()); err == nil || !strings.Contains(err.Error(), "no longer matches the pin") {
		t.Fatalf("changed plugin err = %v", err)
	}
	if f.argv("aider") != nil {
		t.Fatal("the changed adapter ran its agent")
	}
	if list, _ := ListPlugins(builtinDir, f.home); list[3].Status != "changed" {
		t.Errorf("list status = %q, want changed", list[3].Status)
	}
	if err := UntrustPlugin(f.home, "example"); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(t.Context(), o, f.io()); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Fatalf("untrusted again err = %v", err)
	}
}

func TestPluginGuardsRefuseSharedFiles(t *testing.T) {
	needPlugins(t)
	home := t.TempDir()
	bin := installExample(t, home)
	os.Chmod(bin, 0o775)
	if _, err := TrustPlugin(home, "example", "", time.Now()); err == nil || !strings.Contains(err.Error(), "other users") {
		t.Errorf("group-writable plugin err = %v", err)
	}
	os.Chmod(bin, 0o755)
	if _, err := TrustPlugin(home, "example", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(home, TrustFileName), 0o644)
	if _, err := loadTrust(home); err == nil || !strings.Contains(err.Error(), "want 0600") {
		t.Errorf("readable pin store err = %v", err)
	}
	os.Chmod(filepath.Join(home, TrustFileName), 0o600)
	link := filepath.Join(PluginsDir(home), "handoff-agent-linked")
	os.Symlink(bin, link)
	if _, err := TrustPlugin(home, "linked", "", time.Now()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("symlinked plugin err = %v", err)
	}
	if _, err := TrustPlugin(home, "../x", "", time.Now()); err == nil {
		t.Error("a path-like plugin name was accepted")
	}
}

func TestBuiltinNamesResolveBesideTheBinaryFirst(t *testing.T) {
	needPlugins(t)
	home := t.TempDir()
	o := &Options{Home: home, BuiltinDir: builtinDir}
	ref, err := findPlugin(o, "codex")
	if err != nil || !ref.Builtin || ref.Path != filepath.Join(builtinDir, "handoff-agent-codex") {
		t.Fatalf("codex = %+v, %v", ref, err)
	}
	// Without a built-in copy, a codex adapter in CODEXPRO_HOME is third-party.
	o.BuiltinDir = t.TempDir()
	os.MkdirAll(PluginsDir(home), 0o700)
	os.WriteFile(filepath.Join(PluginsDir(home), "handoff-agent-codex"), []byte("#!/bin/sh\n"), 0o755)
	if _, err := findPlugin(o, "codex"); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Fatalf("codex from CODEXPRO_HOME err = %v", err)
	}
}
