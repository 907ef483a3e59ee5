package redact

import (
	"fmt"
	"strings"
	"testing"
)

// keyedFile is a file with a key block at lines 3..10 and an api_key value
// on line 13; secrets are its planted lines.
func keyedFile() (string, []string) {
	body := pemBody(6)
	value := "zQ" + strings.Repeat("x7Lp", 8)
	lines := append([]string{"package x", "const k = `", "-----BEGIN PRIVATE KEY-----"}, body...)
	lines = append(lines, "-----END PRIVATE KEY-----", "`", "", "api_key:", "  "+value, "// end")
	return strings.Join(lines, "\n") + "\n", append(body, value)
}

// TestDiffHunkInsideKeyBlock: a hunk that changes a line in the middle of a
// key body, BEGIN outside it, shows no body line, with and without the
// whole sides; the value after "api_key:" above the hunk is hidden when
// the sides are known.
func TestDiffHunkInsideKeyBlock(t *testing.T) {
	old, secrets := keyedFile()
	lines := strings.Split(old, "\n")
	// Lines 6-8 (body lines 4-6) as context around a change of line 7.
	hunk := fmt.Sprintf("diff --git a/k.go b/k.go\nindex 1111111..2222222 100644\n--- a/k.go\n+++ b/k.go\n@@ -6,3 +6,3 @@\n %s\n-%s\n+%s\n %s\n",
		lines[5], lines[6], "changed", lines[7])
	for _, sides := range []Sides{nil, func(path string, isOld bool) (string, bool) {
		if path != "k.go" {
			t.Errorf("sides asked for %q", path)
		}
		if isOld {
			return old, true
		}
		return strings.Replace(old, lines[6], "changed", 1), true
	}} {
		got := Diff(hunk, sides)
		for _, s := range secrets[:6] {
			if strings.Contains(got, s) {
				t.Fatalf("diff shows body line %q:\n%s", s, got)
			}
		}
		// With the sides, "changed" is a line of the key block too.
		if !strings.Contains(got, "\n+") || !strings.Contains(got, "\n-"+Placeholder+"\n") || !strings.Contains(got, "\n "+Placeholder+"\n") ||
			strings.Count(got, "\n") != strings.Count(hunk, "\n") {
			t.Fatalf("diff lost its shape:\n%s", got)
		}
	}

	// The value line as context of a change below it: only the whole file
	// knows its name.
	valueHunk := fmt.Sprintf("diff --git a/k.go b/k.go\n--- a/k.go\n+++ b/k.go\n@@ -14,2 +14,2 @@\n %s\n-// end\n+// fin\n", lines[13])
	whole := func(string, bool) (string, bool) { return old, true }
	if got := Diff(valueHunk, whole); strings.Contains(got, secrets[6]) {
		t.Fatalf("diff shows the value of api_key:\n%s", got)
	}
}

func TestDiffLeavesCleanDiffsAlone(t *testing.T) {
	d := "diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -1,2 +1,2 @@\n package x\n-var a = 1\n+var a = 2\n" +
		"diff --git a/h.txt b/h.txt\n--- a/h.txt\n+++ b/h.txt\n@@ -1 +1 @@\n-0123456789abcdef0123456789abcdef01234567\n+fedcba9876543210fedcba9876543210fedcba98\n"
	if got := Diff(d, func(string, bool) (string, bool) { return "", false }); got != d {
		t.Fatalf("clean diff changed:\n%s", got)
	}
	asked := false
	short := "diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -1,2 +1,2 @@\n package x\n-var a = 1\n+var a = 2\n"
	Diff(short, func(string, bool) (string, bool) { asked = true; return "", false })
	if asked {
		t.Fatal("sides were read for a diff with nothing suspicious")
	}
}

func TestDiffKeyBlockInHunk(t *testing.T) {
	content, secrets := keyedFile()
	var b strings.Builder
	b.WriteString("diff --git a/n.go b/n.go\nnew file mode 100644\n--- /dev/null\n+++ b/n.go\n@@ -0,0 +1,15 @@\n")
	for _, l := range strings.Split(strings.TrimSuffix(content, "\n"), "\n") {
		b.WriteString("+" + l + "\n")
	}
	got := Diff(b.String(), nil)
	for _, s := range secrets {
		if strings.Contains(got, s) {
			t.Fatalf("new-file diff shows %q:\n%s", s, got)
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n")[5:] {
		if !strings.HasPrefix(l, "+") {
			t.Fatalf("line lost its prefix: %q", l)
		}
	}
}

func TestKeyBodies(t *testing.T) {
	body := pemBody(3)
	hex := strings.Repeat("0123456789abcdef", 3)
	in := "lines 5-7:\n" + strings.Join(body, "\n") + "\r\n" + hex + "\nThisIsAnIdentifierWithoutDigitsButVeryLongIndeed\n"
	got := KeyBodies(in)
	for _, b := range body {
		if strings.Contains(got, b) {
			t.Fatalf("KeyBodies kept %q:\n%s", b, got)
		}
	}
	if !strings.Contains(got, hex) || !strings.Contains(got, "ThisIsAnIdentifier") || strings.Count(got, "\n") != strings.Count(in, "\n") {
		t.Fatalf("KeyBodies changed other lines or the line count:\n%q", got)
	}
	if src := strings.Repeat("func main() {}\n", 100); KeyBodies(src) != src {
		t.Fatal("clean text changed")
	}
}
