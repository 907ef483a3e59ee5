package redact

import "unsafe"

// hintScanner finds which rules' hints occur in a text in one pass, folding
// ASCII case as it goes: an Aho-Corasick automaton with every transition
// precomputed. Most text holds no hint at all, and then no regexp runs.
type hintScanner struct {
	delta  [][256]uint16 // state x byte -> state
	out    []uint64      // state -> bit set of rules whose hint ends here
	maxLen int           // longest hint
}

func newHintScanner(rs []rule) *hintScanner {
	if len(rs) > 64 {
		panic("redact: more than 64 rules")
	}
	h := &hintScanner{delta: make([][256]uint16, 1), out: make([]uint64, 1)}
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
	s := uint16(0)
	for i := 0; i < len(hint); i++ {
		c := hint[i]
		if h.delta[s][c] == 0 {
			h.delta = append(h.delta, [256]uint16{})
			h.out = append(h.out, 0)
			h.delta[s][c] = uint16(len(h.delta) - 1)
		}
		s = h.delta[s][c]
	}
	h.out[s] |= bit
}

// link turns the trie into a DFA: breadth-first, each missing transition
// takes its failure state's, and outputs inherit the failure state's.
func (h *hintScanner) link() {
	fail := make([]uint16, len(h.delta))
	var queue []uint16
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
	for s := range h.delta { // fold case: an upper-case byte moves like its lower case
		for c := 'A'; c <= 'Z'; c++ {
			h.delta[s][c] = h.delta[s][c+'a'-'A']
		}
	}
}

// mask returns the set of rules with a hint in s. A long text is cut into
// four stretches scanned side by side: each step of one automaton waits on
// its previous table load, four independent ones overlap. Every stretch
// runs on for maxLen-1 bytes past its end, so a hint that starts in it is
// seen whole (the automaton finds every hint that starts where it starts).
func (h *hintScanner) mask(s string) uint64 {
	const lanes = 4
	n := len(s)
	if n < 64*h.maxLen {
		return h.scanFrom(0, 0, s)
	}
	step := n / lanes
	tail := h.maxLen - 1
	a, b, c, d := s[:step+tail], s[step:2*step+tail], s[2*step:3*step+tail], s[3*step:]
	common := min(len(a), len(d))
	var ma, mb, mc, md uint64
	var sa, sb, sc, sd uint16
	for i := range common {
		sa, sb, sc, sd = h.delta[sa][a[i]], h.delta[sb][b[i]], h.delta[sc][c[i]], h.delta[sd][d[i]]
		ma |= h.out[sa]
		mb |= h.out[sb]
		mc |= h.out[sc]
		md |= h.out[sd]
	}
	return h.scanFrom(sa, ma, a[common:]) | h.scanFrom(sb, mb, b[common:]) |
		h.scanFrom(sc, mc, c[common:]) | h.scanFrom(sd, md, d[common:])
}

// scanFrom runs the automaton over s from state st, adding to m.
func (h *hintScanner) scanFrom(st uint16, m uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		st = h.delta[st][s[i]]
		m |= h.out[st]
	}
	return m
}

// maskBytes is mask over encoded JSON without copying it into a string;
// the bytes are only read while it runs.
func (h *hintScanner) maskBytes(p []byte) uint64 {
	return h.mask(unsafe.String(unsafe.SliceData(p), len(p)))
}
