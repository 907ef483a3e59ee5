package workspace

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Drive letters, UNC and device paths are absolute on Windows and escape
// the workspace; on Unix they would be odd relative names, and are refused
// all the same so one input gets one answer on every OS.
func TestWindowsVolumeFormsRefusedEverywhere(t *testing.T) {
	ws, _, _ := fixture(t)
	for _, in := range []string{
		`C:\Windows\win.ini`, `c:/Windows/win.ini`, `C:README.md`, `C:`, `Z:\etc\passwd`,
		`\\server\share\x`, `\\?\C:\Windows\win.ini`, `\\?\UNC\server\share\x`,
		`\\.\PhysicalDrive0`, `\\.\NUL`, `//?/C:/x`, `//./CON`, `\\?\GLOBALROOT\Device\x`,
	} {
		_, _, err := ws.ReadFile(in, 4000)
		if got := RuleOf(err); got != RuleEscape {
			t.Errorf("ReadFile(%q) rule = %q (err %v); want %q", in, got, err, RuleEscape)
		}
	}
}

func TestWindowsNameProblem(t *testing.T) {
	bad := []string{"CON", "con", "Nul", "nul.txt", "aux.tar.gz", "COM1.log", "lpt9", "PRN", "CON .txt",
		"conin$", "CONOUT$.x", "COM¹", ".env.", ".env ", "x.txt::$DATA", ".env:secret", "a:b",
		"SECRET~1.PEM", "PROGRA~1", "ENV~12", "id~1"}
	good := []string{"console.log", "auxiliary.go", "com10", "nul_test.go", "a~b.txt", "longname~1.txt",
		"..data", ".env", "README.md", "x~.txt", ".", ".."}
	for _, s := range bad {
		if windowsNameProblem(s) == "" {
			t.Errorf("windowsNameProblem(%q) = \"\", want a refusal", s)
		}
	}
	for _, s := range good {
		if why := windowsNameProblem(s); why != "" {
			t.Errorf("windowsNameProblem(%q) = %q, want none", s, why)
		}
	}
}

// On Windows a reserved name in any segment is refused before anything is
// opened; elsewhere "aux.txt" is an ordinary file and reads as one.
func TestReservedNamesPerOS(t *testing.T) {
	ws, root, _ := fixture(t)
	if runtime.GOOS != "windows" {
		must(t, os.WriteFile(filepath.Join(root, "aux.txt"), []byte("plain\n"), 0o644))
	}
	for _, in := range []string{"aux.txt", "src/CON", "NUL", "src/com1.go", ".env.", "README.md::$DATA"} {
		data, _, err := ws.ReadFile(in, 4000)
		if runtime.GOOS == "windows" {
			if got := RuleOf(err); got != RuleInvalidPath {
				t.Errorf("ReadFile(%q) rule = %q (err %v); want %q", in, got, err, RuleInvalidPath)
			}
			continue
		}
		if in == "aux.txt" && (err != nil || string(data) != "plain\n") {
			t.Errorf("ReadFile(aux.txt) = %q, %v; an ordinary file off Windows", data, err)
		}
		if strings.HasPrefix(in, ".env") && RuleOf(err) != RuleBlocked && RuleOf(err) != RuleNotFound {
			t.Errorf("ReadFile(%q) rule = %q", in, RuleOf(err))
		}
	}
}
