package redact

import (
	"slices"
	"strings"
	"testing"
)

type seg struct {
	start, end int
	rules      uint64
}

func hintSegments(s string) []seg {
	var got []seg
	_, hits, _ := scanner.hits(nil, s, len(s))
	forEachHintSegment(s, hits, false, func(start, end int, rules uint64) {
		got = append(got, seg{start, end, rules})
	})
	return got
}

func allSegmentsWithHints(s string) []seg {
	var want []seg
	forEachSegment(s, func(start, end int) {
		if m := scanner.mask(s[start:end]); m != 0 {
			want = append(want, seg{start, end, m})
		}
	})
	return want
}

func TestHintSegmentsAreTheSegments(t *testing.T) {
	long := strings.Repeat("x := 1 // plain line of code here\n", 200)
	for _, s := range []string{
		"", "key", "\n\ntoken\n", "api_key:\n\n\n  value_is_here_and_long\nnext key\n",
		"a\napi_key: |\n  \n\t\n  abcdefghijklmnopqrstuvwxyz\n", "TOKEN =\\\n   abc\nsecret:\n",
		"\n \n--token\n\n\nzz\n", long + "password=\n\n" + long + "Authorization: Bearer\n" + long + "sk-ant-x",
		"-----BEGIN RSA PRIVATE KEY-----\r\nabc\r\n-----END RSA PRIVATE KEY-----\r\n",
		"token:\n" + strings.Repeat("\n", 300) + "key",
	} {
		if got, want := hintSegments(s), allSegmentsWithHints(s); !slices.Equal(got, want) {
			t.Errorf("%.60q: hint segments %v, want %v", s, got, want)
		}
	}
}

// padded puts up to 2,048 short plain lines (pad/4) before s, so that
// fuzzed texts also reach the scanner's side-by-side lanes; pad comes back
// within 0 to 8,192 for the caller's own use.
func padded(s string, pad int) (string, int) {
	pad = min(max(pad, 0), 1<<13)
	return strings.Repeat("a b\n", pad/4) + s, pad
}

// FuzzHintSegments: for any text, the segments found around the hints are
// exactly the segments with a hint, with the same rules.
func FuzzHintSegments(f *testing.F) {
	f.Add("api_key:\n\n value_value_value_value\n", 0)
	f.Add("x\n \t\nkey =\n\nsk-abcdefghijkl", 2000)
	f.Fuzz(func(t *testing.T, s string, pad int) {
		text, pad := padded(s, pad)
		text += strings.Repeat("\n:", pad%7)
		if got, want := hintSegments(text), allSegmentsWithHints(text); !slices.Equal(got, want) {
			t.Fatalf("hint segments %v, want %v", got, want)
		}
	})
}

// walkRedactOnce is redactOnce stated plainly: every segment walked and
// scanned, every rule with a hint in it tried as its hints and pre allow.
func walkRedactOnce(s string, keep bool) string {
	all := scanner.mask(s)
	for i := range compiled {
		if compiled[i].multiline && all&(1<<i) != 0 {
			s = compiled[i].apply(s, keep)
		}
	}
	var b strings.Builder
	forEachSegment(s, func(start, end int) {
		seg := s[start:end]
		m := scanner.mask(seg)
		for i := range compiled {
			r := &compiled[i]
			if !r.multiline && m&(1<<i) != 0 && r.hit(asciiLower(seg)) {
				seg = r.apply(seg, keep)
			}
		}
		b.WriteString(seg)
	})
	return b.String()
}

// FuzzRedactOnce: redacting around the hints gives what walking every
// segment gives, with line breaks kept or not.
func FuzzRedactOnce(f *testing.F) {
	f.Add("api_key:\n\n  abcdefghijklmnopqrstuvwxyz012\nsk-abcdefghijklmnop x\n", 3)
	f.Add("TOKEN =\\\n  \"abcdefghijklmnop\"\nAuthorization: Bearer abcdefghijklmnop\n", 900)
	f.Fuzz(func(t *testing.T, s string, pad int) {
		text, pad := padded(s, pad)
		text = strings.Repeat("key\n", pad%5) + text
		for _, keep := range []bool{false, true} {
			if got, want := redactOnce(text, keep), walkRedactOnce(text, keep); got != want {
				t.Fatalf("keep %v: around hints\n%q\nwalking every segment\n%q", keep, got, want)
			}
		}
	})
}
