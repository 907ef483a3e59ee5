package redact

import (
	"cmp"
	"slices"
	"strings"
	"unsafe"
)

// hintScanner finds which rules' hints occur in a text in one pass, folding
// ASCII case as it goes: an Aho-Corasick automaton with every transition
// precomputed. Most text holds no hint at all, and then no regexp runs.
//
// States are bytes and the tables are arrays indexed by them, so the scan
// loop has no bounds checks and its 64 KB table is half the size 16-bit
// states would need: the hints make 188 states, and more than 256 is a
// panic at start-up (the package's tests fail at once).
type hintScanner struct {
	delta  *[256][256]uint8 // state x byte -> state
	out    [256]uint64      // state -> bit set of rules whose hint ends here
	states int              // states in use
	maxLen int              // longest hint
}

func newHintScanner(rs []rule) *hintScanner {
	if len(rs) > 64 {
		panic("redact: more than 64 rules")
	}
	h := &hintScanner{delta: new([256][256]uint8), states: 1}
	for i, r := range rs {
		for _, hint := range r.hints {
			if strings.Contains(hint, "\n") {
				panic("redact: a hint holds a line break") // segments are found by where hints end
			}
			h.add(asciiLower(hint), uint64(1)<<i)
			h.maxLen = max(h.maxLen, len(hint))
		}
	}
	h.link()
	return h
}

// add inserts a hint into the trie (transitions not yet set are 0, the root).
func (h *hintScanner) add(hint string, bit uint64) {
	s := uint8(0)
	for i := 0; i < len(hint); i++ {
		c := hint[i]
		if h.delta[s][c] == 0 {
			if h.states == len(h.delta) {
				panic("redact: the hints need more than 256 scanner states")
			}
			h.delta[s][c] = uint8(h.states)
			h.states++
		}
		s = h.delta[s][c]
	}
	h.out[s] |= bit
}

// link turns the trie into a DFA: breadth-first, each missing transition
// takes its failure state's, and outputs inherit the failure state's.
func (h *hintScanner) link() {
	var fail [256]uint8
	var queue []uint8
	for c := 0; c < 256; c++ {
		if s := h.delta[0][c]; s != 0 {
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		h.out[s] |= h.out[fail[s]]
		for c := 0; c < 256; c++ {
			if t := h.delta[s][c]; t != 0 {
				fail[t] = h.delta[fail[s]][c]
				queue = append(queue, t)
			} else {
				h.delta[s][c] = h.delta[fail[s]][c]
			}
		}
	}
	for s := range h.states { // fold case: an upper-case byte moves like its lower case
		for c := 'A'; c <= 'Z'; c++ {
			h.delta[s][c] = h.delta[s][c+'a'-'A']
		}
	}
}

// mask returns the set of rules with a hint in s.
func (h *hintScanner) mask(s string) uint64 {
	m, _, _ := h.scan(s, nil)
	return m
}

// hit is a place in a text where hints end: the offset of their last
// byte, and the rules they are hints of.
type hit struct {
	at    int
	rules uint64
}

// hits returns the set of rules with a hint in s and the places in s where
// hints end, in order of offset (one offset may come twice, each with part
// of its rules), in buf when they fit. When s holds more than limit places,
// hits is empty and dense is true: then walking every segment costs less
// than finding each hit's, and nothing is allocated for them.
func (h *hintScanner) hits(buf []hit, s string, limit int) (rules uint64, hits []hit, dense bool) {
	rules, hits, n := h.scan(s, buf[:0])
	switch {
	case n > limit:
		return rules, buf[:0], true
	case n > len(hits): // more than buf holds: scan again into room for all
		_, hits, _ = h.scan(s, make([]hit, 0, n))
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.at, b.at) })
	return rules, hits, false
}

// scan returns the set of rules with a hint in s and how many places hints
// end at, and appends those places to rec while they fit in its capacity.
// A long text is cut into eight stretches scanned side by side: each step
// of one automaton waits on its previous table load, eight independent
// ones overlap (1.4 times four's speed, twice one's). Every stretch runs
// on for maxLen-1 bytes past its end, so a hint that starts in it is seen
// whole (the automaton finds every hint that starts where it starts).
func (h *hintScanner) scan(s string, rec []hit) (rules uint64, _ []hit, n int) {
	if len(s) < 64*h.maxLen {
		return h.walk(0, s, 0, rec, 0)
	}
	step := len(s) / hintLanes
	delta, out := h.delta, &h.out
	var st [hintLanes]uint8
	_ = s[hintLanes*step-1]
	for i := range step {
		s0 := delta[st[0]][s[i]]
		s1 := delta[st[1]][s[i+step]]
		s2 := delta[st[2]][s[i+2*step]]
		s3 := delta[st[3]][s[i+3*step]]
		s4 := delta[st[4]][s[i+4*step]]
		s5 := delta[st[5]][s[i+5*step]]
		s6 := delta[st[6]][s[i+6*step]]
		s7 := delta[st[7]][s[i+7*step]]
		st = [hintLanes]uint8{s0, s1, s2, s3, s4, s5, s6, s7}
		o := out[s0] | out[s1] | out[s2] | out[s3] | out[s4] | out[s5] | out[s6] | out[s7]
		if o != 0 {
			rules |= o
			for k, sk := range st {
				if r := out[sk]; r != 0 {
					if n++; len(rec) < cap(rec) {
						rec = append(rec, hit{i + k*step, r})
					}
				}
			}
		}
	}
	tail := h.maxLen - 1
	for k := range hintLanes {
		rest := s[(k+1)*step:]
		if k < hintLanes-1 {
			rest = rest[:tail]
		}
		var r uint64
		r, rec, n = h.walk(st[k], rest, (k+1)*step, rec, n)
		rules |= r
	}
	return rules, rec, n
}

// hintLanes is how many stretches scan runs side by side.
const hintLanes = 8

// scanFrom runs the automaton over s from state st, adding to m.
func (h *hintScanner) scanFrom(st uint8, m uint64, s string) uint64 {
	r, _, _ := h.walk(st, s, 0, nil, 0)
	return m | r
}

// walk runs the automaton over s from state st: it returns the rules whose
// hints it saw end, and rec and n as scan keeps them (offsets + base).
func (h *hintScanner) walk(st uint8, s string, base int, rec []hit, n int) (uint64, []hit, int) {
	delta, out := h.delta, &h.out
	var m uint64
	for i := 0; i < len(s); i++ {
		st = delta[st][s[i]]
		if r := out[st]; r != 0 {
			m |= r
			if n++; len(rec) < cap(rec) {
				rec = append(rec, hit{base + i, r})
			}
		}
	}
	return m, rec, n
}

// maskBytes is mask over encoded JSON without copying it into a string;
// the bytes are only read while it runs.
func (h *hintScanner) maskBytes(p []byte) uint64 {
	return h.mask(unsafe.String(unsafe.SliceData(p), len(p)))
}
