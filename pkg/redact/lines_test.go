package redact

import (
	"strings"
	"testing"
)

// pemBody is a key body of n lines, built at run time so this file holds
// nothing a scanner would flag.
func pemBody(n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = strings.Repeat(string(rune('A'+i%26))+"b3Bl", 16)
	}
	return lines
}

// cutRange returns lines start..end (1-based, inclusive) of a redacted unit,
// the way read and search cut after redaction.
func cutRange(src string, u Unit, start, end int) []string {
	var out []string
	for n, l := range strings.Split(src, "\n") {
		if n+1 < start || n+1 > end {
			continue
		}
		if red, ok := u.Line(n + 1); ok {
			l = red
		}
		out = append(out, l)
	}
	return out
}

func TestLinesKeepsLineNumbers(t *testing.T) {
	body := pemBody(5)
	src := "first\n-----BEGIN RSA PRIVATE KEY-----\r\n" + strings.Join(body, "\r\n") + "\r\n-----END RSA PRIVATE KEY-----\nlast\n"
	got := Lines(src)
	if strings.Count(got, "\n") != strings.Count(src, "\n") {
		t.Fatalf("line count changed:\n%q", got)
	}
	want := "first\n" + strings.Repeat(Placeholder+"\r\n", 6) + Placeholder + "\nlast\n"
	if got != want {
		t.Fatalf("Lines =\n%q\nwant\n%q", got, want)
	}
}

// TestUnitRangeInsideKeyBlock is the attack of issue 14 class 2: a range
// that starts after the BEGIN line, or a single line of the body, must not
// show any body line.
func TestUnitRangeInsideKeyBlock(t *testing.T) {
	body := pemBody(8)
	src := "package x\n\nconst k = `\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + strings.Join(body, "\n") +
		"\n-----END OPENSSH PRIVATE KEY-----\n`\n"
	u := Judge(src)
	if u.Clean() {
		t.Fatal("Judge found no secret in a file with a key block")
	}
	total := strings.Count(src, "\n") + 1
	for start := 1; start <= total; start++ {
		for end := start; end <= total; end++ {
			got := strings.Join(cutRange(src, u, start, end), "\n")
			for _, b := range body {
				if strings.Contains(got, b[:20]) {
					t.Fatalf("lines %d-%d show key body %q:\n%s", start, end, b, got)
				}
			}
		}
	}
	if l, ok := u.Line(1); ok || l != "" {
		t.Fatalf("line 1 (clean) reported as redacted: %q", l)
	}
	if l, _ := u.Line(3); l != "" {
		t.Fatalf("line 3 (clean) = %q", l)
	}
}

func TestUnitValueOnNextLine(t *testing.T) {
	value := "q" + strings.Repeat("Zx9", 10)
	for _, src := range []string{
		"api_key:\n  " + value + "\n",
		"api_key: |\n  " + value + "\n",
		"api_key: >-\n    " + value + "\n",
		"{\n  \"client_secret\":\n    \"" + value + "\"\n}\n",
		"DB_PASSWORD=\n" + value + "\n",
		"export SERVICE_TOKEN=\\\n  " + value + "\n",
		"API_KEY = (\n    \"" + value + "\"\n)\n",
		"password:\n\n  " + value + "\n",
		"[default]\naws_secret_access_key =\n  " + value + "\n",
	} {
		u := Judge(src)
		lines := strings.Split(src, "\n")
		for n := range lines {
			got := strings.Join(cutRange(src, u, n+1, n+1), "")
			if strings.Contains(got, value) {
				t.Errorf("%q: line %d shows the value: %q", src, n+1, got)
			}
		}
	}
}

func TestJudgeCleanTextAllocatesNothing(t *testing.T) {
	src := strings.Repeat("func main() { fmt.Println(\"hello\") }\n", 200)
	if n := testing.AllocsPerRun(10, func() { Judge(src) }); n != 0 {
		t.Fatalf("Judge on clean text allocated %v times", n)
	}
	if !Judge(src).Clean() {
		t.Fatal("clean text judged unclean")
	}
}

// FuzzCutAfterJudge plants a secret whose parts sit on several lines among
// arbitrary lines and checks that no range cut after whole-unit redaction
// shows a planted line.
func FuzzCutAfterJudge(f *testing.F) {
	f.Add("a\nb", uint8(0), "MIIEpAIBAAKCAQEA", "c\nd", uint8(3))
	f.Add("", uint8(1), "value", "", uint8(1))
	f.Add("x:\n", uint8(2), "p", "-----END", uint8(0))
	f.Fuzz(func(t *testing.T, before string, kind uint8, seed, after string, width uint8) {
		block, planted := plantMultiline(kind, seed, int(width%6)+1)
		if strings.ContainsAny(before+after, "\r") || strings.Count(before+after, "\n") > 64 {
			t.Skip()
		}
		src := before + "\n" + block + "\n" + after
		for _, p := range planted {
			if strings.Contains(before, p) || strings.Contains(after, p) {
				t.Skip()
			}
		}
		u := Judge(src)
		red := Lines(src)
		if strings.Count(red, "\n") != strings.Count(src, "\n") {
			t.Fatalf("Lines changed the line count of %q: %q", src, red)
		}
		total := strings.Count(src, "\n") + 1
		for start := 1; start <= total; start++ {
			got := strings.Join(cutRange(src, u, start, total), "\n")
			for _, p := range planted {
				if strings.Contains(got, p) {
					t.Fatalf("range %d- of %q shows planted %q:\n%s", start, src, p, got)
				}
			}
		}
	})
}

// plantMultiline builds a secret whose parts sit on separate lines: a key
// block (body lines of the given count) or a name with its value on the
// next line. planted are the parts that must never be shown.
func plantMultiline(kind uint8, seed string, n int) (block string, planted []string) {
	var b strings.Builder
	for _, c := range seed {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	clean := b.String() + "Q7xK2mP9wL4v"
	switch kind % 4 {
	case 0, 1:
		var body []string
		for i := range n {
			line := strings.Repeat(clean, 64/len(clean)+1)[:40] + string(rune('a'+i))
			body = append(body, line)
		}
		kindName := map[uint8]string{0: "RSA", 1: "OPENSSH"}[kind%4]
		end := "\n-----END " + kindName + " PRIVATE KEY-----"
		if kind%8 >= 4 {
			end = "" // an unterminated block hides everything after BEGIN
		}
		return "-----BEGIN " + kindName + " PRIVATE KEY-----\n" + strings.Join(body, "\n") + end, body
	case 2:
		v := strings.Repeat(clean, 3)[:24]
		return "api_key:\n  " + v, []string{v}
	default:
		v := strings.Repeat(clean, 3)[:24]
		return "  \"client_secret\": |\n    " + v, []string{v}
	}
}
