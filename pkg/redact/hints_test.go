package redact

import (
	"strings"
	"testing"
)

// TestHintMaskAcrossLaneBoundaries puts every hint, in upper case too,
// across each point where mask cuts a long text into lanes: the four-lane
// scan must see it exactly as one pass over the text does.
func TestHintMaskAcrossLaneBoundaries(t *testing.T) {
	const n = 4096
	filler := strings.Repeat("z", n)
	step := n / 4
	for i, r := range compiled {
		for _, hint := range r.hints {
			for _, h := range []string{hint, strings.ToUpper(hint)} {
				for _, cut := range []int{step, 2 * step, 3 * step} {
					for off := -len(h); off <= 1; off++ {
						at := cut + off
						text := filler[:at] + h + filler[at+len(h):]
						if got := scanner.mask(text); got&(1<<i) == 0 || got != scanner.scanFrom(0, 0, text) {
							t.Fatalf("hint %q at %d (cut %d): mask %b, one pass %b", h, at, cut, got, scanner.scanFrom(0, 0, text))
						}
					}
				}
			}
		}
	}
}

// FuzzHintMask: for any text the four-lane scan equals one pass.
func FuzzHintMask(f *testing.F) {
	f.Add(strings.Repeat("x", 3000)+"sk-ant-", 1500)
	f.Add("token", 0)
	f.Fuzz(func(t *testing.T, s string, pad int) {
		if pad < 0 || pad > 1<<14 {
			return
		}
		text := strings.Repeat("a", pad) + s
		if got, want := scanner.mask(text), scanner.scanFrom(0, 0, text); got != want {
			t.Fatalf("mask %b, one pass %b", got, want)
		}
	})
}

// TestHintMaskAcrossEveryLane puts every hint, in upper case too, across
// each point where mask cuts a long text into its hintLanes stretches, and
// at both ends.
func TestHintMaskAcrossEveryLane(t *testing.T) {
	const n = 8192
	filler := strings.Repeat("z", n+3)
	for i, r := range compiled {
		for _, hint := range r.hints {
			for _, h := range []string{hint, strings.ToUpper(hint)} {
				for size := n; size <= n+3; size++ { // remainders past the last lane
					step := size / hintLanes
					for k := range hintLanes + 1 {
						for off := -len(h); off <= 1; off++ {
							at := min(max(k*step+off, 0), size-len(h))
							text := filler[:at] + h + filler[at+len(h):size]
							if got := scanner.mask(text); got&(1<<i) == 0 || got != scanner.scanFrom(0, 0, text) {
								t.Fatalf("hint %q at %d of %d: mask %b, one pass %b", h, at, size, got, scanner.scanFrom(0, 0, text))
							}
						}
					}
				}
			}
		}
	}
}
