package redact

import "unsafe"

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

// mask returns the set of rules with a hint in s. A long text is cut into
// eight stretches scanned side by side: each step of one automaton waits
// on its previous table load, eight independent ones overlap (1.4 times
// four's speed, twice one's). Every stretch runs on for maxLen-1 bytes
// past its end, so a hint that starts in it is seen whole (the automaton
// finds every hint that starts where it starts).
func (h *hintScanner) mask(s string) uint64 {
	n := len(s)
	if n < 64*h.maxLen {
		return h.scanFrom(0, 0, s)
	}
	step := n / hintLanes
	delta, out := h.delta, &h.out
	var st [hintLanes]uint8
	var m uint64
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
		m |= out[s0] | out[s1] | out[s2] | out[s3] | out[s4] | out[s5] | out[s6] | out[s7]
		st = [hintLanes]uint8{s0, s1, s2, s3, s4, s5, s6, s7}
	}
	tail := h.maxLen - 1
	for k := range hintLanes - 1 {
		m |= h.scanFrom(st[k], 0, s[(k+1)*step:(k+1)*step+tail])
	}
	return m | h.scanFrom(st[hintLanes-1], 0, s[hintLanes*step:])
}

// hintLanes is how many stretches mask scans side by side.
const hintLanes = 8

// scanFrom runs the automaton over s from state st, adding to m.
func (h *hintScanner) scanFrom(st uint8, m uint64, s string) uint64 {
	delta, out := h.delta, &h.out
	for i := 0; i < len(s); i++ {
		st = delta[st][s[i]]
		m |= out[st]
	}
	return m
}

// maskBytes is mask over encoded JSON without copying it into a string;
// the bytes are only read while it runs.
func (h *hintScanner) maskBytes(p []byte) uint64 {
	return h.mask(unsafe.String(unsafe.SliceData(p), len(p)))
}
