package gitx

import (
	"strings"
	"testing"
)

func TestFilterDiffSections(t *testing.T) {
	r := Repo{Blocked: blockedForTest}
	keep := "diff --git a/ok.go b/ok.go\n--- a/ok.go\n+++ b/ok.go\n@@ -1 +1 @@\n--- a/.env\n+++ b/x.pem\n-old\n+new\n"
	cases := []struct {
		name, in, want string
		truncated      bool
	}{
		{"hunk lines that look like headers do not hide a file", keep, keep, false},
		{"blocked file dropped", "diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-A=1\n+A=2\n" + keep, keep, false},
		{"quoted blocked name", "diff --git \"a/x y/\\tk.pem\" \"b/x y/\\tk.pem\"\n@@ -1 +1 @@\n-a\n+b\n" + keep, keep, false},
		{"unquoted name with spaces", "diff --git a/my dir/.env b/my dir/.env\nindex 1..2\n" + keep, keep, false},
		{"header-only binary section", "diff --git a/k.pem b/k.pem\nnew file mode 100644\nBinary files /dev/null and b/k.pem differ\n" + keep, keep, false},
		{"octal-escaped blocked name", "diff --git \"a/\\056env\" \"b/\\056env\"\n--- \"a/\\056env\"\n@@ -1 +1 @@\n" + keep, keep, false},
		{"mismatched header fails closed", "diff --git a/ok.go b/other.go\n@@ -1 +1 @@\n+x\n" + keep, keep, false},
		{"text before any header dropped", "stray KEY=1\n" + keep, keep, false},
		{"outside workspace dropped", "diff --git a/../up.txt b/../up.txt\n@@ -1 +1 @@\n+x\n" + keep, keep, false},
		{"cut-off header dropped", keep + "diff --git a/secrets.p", keep, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := r.filterDiff(c.in, c.truncated); got != c.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestParseStatusRebasesAndFilters(t *testing.T) {
	r := Repo{Blocked: blockedForTest}
	in := "## main...origin/main [ahead 1]\x00 M ws/a.txt\x00 M other/b.txt\x00?? ws/new dir/\x00 M ws/.env\x00R  ws/new.txt\x00ws/.env.old\x00 M ws/secrets.p"
	st := r.parseStatus(in, "ws/", true)
	want := "## main...origin/main [ahead 1]\n M a.txt\n?? \"new dir/\"\n" + TruncationMarker
	st.Truncated = true
	if got := st.Text(); got != want {
		t.Fatalf("got:\n%q\nwant:\n%q", got, want)
	}
}

func FuzzQuoteRoundTrip(f *testing.F) {
	for _, s := range []string{"a.txt", "x y", "tab\there", "q\"b\\", "é/ü.go", "\x01\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := quote(s)
		got, rest, err := unquote(q)
		if q == s {
			if got != s {
				t.Fatalf("bare %q changed to %q", s, got)
			}
			return
		}
		if err != nil || got != s || rest != "" {
			t.Fatalf("quote(%q)=%q unquotes to %q rest %q err %v", s, q, got, rest, err)
		}
	})
}

// Whatever git prints, no section left after filtering names a blocked path.
func FuzzFilterDiff(f *testing.F) {
	f.Add("diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-a\n+b\n", false)
	f.Add("diff --git \"a/\\056env\" \"b/\\056env\"\nindex 1..2\n", true)
	f.Fuzz(func(t *testing.T, in string, truncated bool) {
		r := Repo{Blocked: blockedForTest}
		out := r.filterDiff(in, truncated)
		for _, sec := range sections(out) {
			paths, err := sectionPaths(sec)
			if err != nil {
				t.Fatalf("kept unreadable section %q", sec)
			}
			for _, p := range paths {
				if r.hidden(p) {
					t.Fatalf("kept %q in %q", p, sec)
				}
			}
		}
		if !strings.HasPrefix(out, "diff --git ") && out != "" {
			t.Fatalf("kept text outside sections: %q", out)
		}
	})
}
