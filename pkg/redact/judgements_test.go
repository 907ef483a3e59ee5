package redact

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"strings"
	"testing"
)

// TestJudgementsRemembersByContent: a remembered judgement is Judge's, a
// text changed in any way is judged anew (the key is its digest, not a
// name), text without a hint is judged and not kept, and the cache stays
// within its bounds however many texts pass through it.
func TestJudgementsRemembersByContent(t *testing.T) {
	j := NewJudgements()
	body := strings.Join(pemBody(4), "\n")
	keyed := "x\n-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n"
	same := func(a, b Unit) bool { return maps.Equal(a.changed, b.changed) }
	if u := j.Judge(keyed, nil); u.Clean() || !same(u, Judge(keyed)) {
		t.Fatalf("first judgement %v, want Judge's %v", u.changed, Judge(keyed).changed)
	}
	sum := sha256.Sum256([]byte(keyed))
	if u := j.Judge(keyed, &sum); !same(u, Judge(keyed)) {
		t.Fatalf("remembered judgement %v, want %v", u.changed, Judge(keyed).changed)
	}
	edited := strings.Replace(keyed, "x\n", "api_key: abcdefghijklmnopqrstuvwxyz0123\n", 1)
	if u := j.Judge(edited, nil); !same(u, Judge(edited)) || same(u, Judge(keyed)) {
		t.Fatalf("an edited text got %v, want its own judgement %v", u.changed, Judge(edited).changed)
	}
	if u := j.Judge("plain text", nil); !u.Clean() || len(j.cur) != 2 {
		t.Fatalf("plain text: clean %v, %d kept (want the 2 keyed)", u.Clean(), len(j.cur))
	}
	plainSum := sha256.Sum256([]byte("plain text"))
	if u := j.Judge("plain text", &plainSum); !u.Clean() || len(j.cur) != 3 {
		t.Fatalf("plain text with its digest: clean %v, %d kept (want it kept too)", u.Clean(), len(j.cur))
	}
	if u := j.Judge("plain text", &plainSum); !u.Clean() {
		t.Fatal("plain text remembered as not clean")
	}
	for i := range 3 * maxJudged {
		text := fmt.Sprintf("api_key: abcdefghijklmnopqrstuvwxyz%06d\n", i)
		if u := j.Judge(text, nil); u.Clean() {
			t.Fatalf("%q judged clean", text)
		}
	}
	if len(j.cur) > maxJudged || len(j.prev) > maxJudged || j.curBytes > maxJudgedBytes {
		t.Fatalf("cache past its bounds: %d + %d units, %d bytes", len(j.cur), len(j.prev), j.curBytes)
	}
	var none *Judgements
	if u := none.Judge(keyed, nil); !same(u, Judge(keyed)) {
		t.Fatal("a nil cache does not judge as Judge does")
	}
}
