package workspace

import (
	"fmt"
	"path"
	"runtime"
	"strings"
)

// Windows path forms, checked on every OS: a model does not know which OS
// serves it, and a path means the same refusal wherever it arrives.

// windowsVolume reports a drive letter ("C:\x", "c:/x", drive-relative
// "C:x") or a UNC / device prefix (\\server\share, \\?\, \\.\, //?/).
func windowsVolume(input string) bool {
	if len(input) >= 2 && input[1] == ':' && isLetter(input[0]) {
		return true
	}
	return strings.HasPrefix(input, `\\`) || strings.HasPrefix(input, `//?/`) || strings.HasPrefix(input, `//./`)
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// longPathForm rewrites the Win32 long-path prefix to the plain form the
// root is compared in: \\?\C:\x becomes C:\x, \\?\UNC\s\x becomes \\s\x.
// A device path (\\.\, //./, //?/, \\?\ followed by anything else) is
// refused: it names a device or a volume, never a workspace file.
func longPathForm(input string) (string, bool) {
	if rest, ok := strings.CutPrefix(input, `\\?\UNC\`); ok {
		return `\\` + rest, true
	}
	if rest, ok := strings.CutPrefix(input, `\\?\`); ok {
		return rest, len(rest) >= 3 && rest[1] == ':' && isLetter(rest[0]) && rest[2] == '\\'
	}
	if strings.HasPrefix(input, `\\.\`) || strings.HasPrefix(input, `//./`) || strings.HasPrefix(input, `//?/`) {
		return "", false
	}
	return input, true
}

// reservedDevice is the set of names Windows maps to devices in every
// directory, with any extension: "aux.txt" opens the AUX device.
var reservedDevice = func() map[string]bool {
	m := map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true, "CLOCK$": true}
	for _, d := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
		m["COM"+d], m["LPT"+d] = true, true
	}
	return m
}()

// windowsNameProblem says why Windows would not open seg as the file it
// names, or "" when it would: a reserved device name, an alternate data
// stream (":"), a name whose trailing dots or spaces Windows silently drops
// (".env." opens ".env"), or an 8.3 short name ("SECRET~1.PEM" opens
// whatever long name it abbreviates).
func windowsNameProblem(seg string) string {
	if seg == "." || seg == ".." {
		return ""
	}
	if strings.Contains(seg, ":") {
		return "alternate data streams (name:stream) and colons in names are refused"
	}
	if strings.TrimRight(seg, ". ") != seg {
		return fmt.Sprintf("Windows drops trailing dots and spaces, so %q would open %q", seg, strings.TrimRight(seg, ". "))
	}
	stem, _, _ := strings.Cut(seg, ".")
	if reservedDevice[strings.ToUpper(strings.TrimRight(stem, " "))] {
		return fmt.Sprintf("%q is a reserved device name on Windows (CON, NUL, AUX, PRN, COM1-9, LPT1-9, with any extension)", seg)
	}
	if shortName(seg) {
		return fmt.Sprintf("%q looks like an 8.3 short name; use the file's long name", seg)
	}
	return ""
}

// shortName matches the 8.3 alias Windows generates: a stem of at most 8
// characters with "~" and a digit, and an extension of at most 3.
func shortName(seg string) bool {
	stem, ext := seg, ""
	if i := strings.LastIndexByte(seg, '.'); i > 0 {
		stem, ext = seg[:i], seg[i+1:]
	}
	i := strings.IndexByte(stem, '~')
	return len(stem) <= 8 && len(ext) <= 3 && i >= 0 && i+1 < len(stem) && '0' <= stem[i+1] && stem[i+1] <= '9'
}

// windowsNames applies windowsNameProblem to every segment of a cleaned
// relative path. It runs on Windows only: elsewhere "aux.txt" and "x." are
// ordinary files the OS opens as named.
func windowsNames(input, rel string) error {
	if runtime.GOOS != "windows" {
		return nil
	}
	for _, seg := range strings.Split(path.Clean(rel), "/") {
		if why := windowsNameProblem(seg); why != "" {
			return refuse(RuleInvalidPath, input, "%s", why)
		}
	}
	return nil
}
