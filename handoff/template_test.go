package handoff

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitTemplate(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  bool
	}{
		{`agent run {{plan_file}}`, []string{"agent", "run", "{{plan_file}}"}, false},
		{`  a   b  `, []string{"a", "b"}, false},
		{`a "b c" 'd e'`, []string{"a", "b c", "d e"}, false},
		{`a "" ''`, []string{"a", "", ""}, false},
		{`a "it's" 'say "hi"'`, []string{"a", "it's", `say "hi"`}, false},
		{`a b\ c \"d\" \\e`, []string{"a", "b c", `"d"`, `\e`}, false},
		{`C:\tools\agent.exe --x`, []string{`C:\tools\agent.exe`, "--x"}, false},
		{`a "esc \" q" 'x \' y'`, []string{"a", `esc " q`, "x ' y"}, false},
		{`a"b c"d`, []string{"ab cd"}, false},
		{`a "open`, nil, true},
		{`a 'open`, nil, true},
		{``, nil, false},
	}
	for _, c := range cases {
		got, err := splitTemplate(c.in)
		if (err != nil) != c.err || !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitTemplate(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestExpandTemplateNeverReparsesValues(t *testing.T) {
	vars := map[string]string{"plan_text": "a b; rm -rf / \"x\" 'y'", "model": "--evil", "root": "/w s"}
	got, err := expandTemplate("--command", `agent --prompt={{plan_text}} {{model}} {{root}}/x {{unknown}}`, vars)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"agent", "--prompt=a b; rm -rf / \"x\" 'y'", "--evil", "/w s/x", ""}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q want %q", got, want)
	}
	if _, err := expandTemplate("--reviewer", `{{unknown}} x`, vars); err == nil || !strings.Contains(err.Error(), "--reviewer") {
		t.Errorf("empty program err = %v", err)
	}
	if _, err := expandTemplate("--reviewer", `   `, vars); err == nil {
		t.Error("empty template accepted")
	}
}

func TestParseVerdict(t *testing.T) {
	cases := []struct{ out, want string }{
		{"CODEXPRO_REVIEW=PASS", "PASS"},
		{"  codexpro_review = fail  ", "FAIL"},
		{"CODEXPRO_REVIEW=PASS.", "PASS"},
		{"PASS", ""},
		{"CODEXPRO_REVIEW: PASS", ""},
		{"CODEXPRO_REVIEW=PASSED", ""},
		{"+CODEXPRO_REVIEW=PASS", ""},
		{"CODEXPRO_REVIEW=PASS\nreasons\nCODEXPRO_REVIEW=FAIL", "FAIL"},
		{"CODEXPRO_REVIEW=FAIL\nCODEXPRO_REVIEW=PASS\n", "PASS"},
		{"", ""},
	}
	for _, c := range cases {
		if got := parseVerdictLines(c.out); got != c.want {
			t.Errorf("parseVerdictLines(%q) = %q, want %q", c.out, got, c.want)
		}
	}
	files := []struct{ data, want string }{
		{"PASS\n", "PASS"}, {"fail", "FAIL"}, {`{"verdict":"pass","why":"ok"}`, "PASS"},
		{"CODEXPRO_REVIEW=FAIL", "FAIL"}, {"maybe", ""}, {`{"verdict":"ok"}`, ""}, {"PASS FAIL", ""},
	}
	for _, c := range files {
		if got := parseVerdictFile(c.data); got != c.want {
			t.Errorf("parseVerdictFile(%q) = %q, want %q", c.data, got, c.want)
		}
	}
}

func FuzzParseVerdictLines(f *testing.F) {
	for _, s := range []string{"CODEXPRO_REVIEW=PASS", "x\nCODEXPRO_REVIEW=FAIL\n", "codexpro_review = pass."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, out string) {
		v := parseVerdictLines(out)
		if v != "" && v != "PASS" && v != "FAIL" {
			t.Fatalf("verdict %q", v)
		}
		// Whatever came before, a final verdict line decides.
		if got := parseVerdictLines(out + "\nCODEXPRO_REVIEW=FAIL"); got != "FAIL" {
			t.Fatalf("appended FAIL lost to %q", got)
		}
	})
}

func FuzzSplitTemplate(f *testing.F) {
	for _, s := range []string{`a "b c" 'd'`, `a\ b`, `"x`, `C:\x y`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, err := splitTemplate(s)
		if err != nil {
			return
		}
		// Quoting every argument and splitting again gives them back.
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(a) + "'"
		}
		again, err := splitTemplate(strings.Join(quoted, " "))
		if err != nil || !reflect.DeepEqual(again, args) && len(args) > 0 {
			t.Fatalf("split(%q) = %q; requoted split = %q, %v", s, args, again, err)
		}
	})
}
