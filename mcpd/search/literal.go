package search

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// finder locates the next place a match may start. Finders hold no state
// between calls, so one finder serves every worker.
type finder interface {
	// next returns the start of the first candidate at or after from, or -1.
	next(buf []byte, from int) int
	// minLen is the length of the shortest text the finder can report.
	minLen() int
}

// window bounds how far each member of a setFinder scans ahead, so a
// literal that is absent is not rescanned to the end of the buffer for
// every hit of the others.
const window = 4 << 10

// exactFinder finds a byte string. It scans for the needle's rarest byte
// (IndexByte is SIMD-fast and a rare byte means few false stops), checks a
// second rare byte, then compares the whole needle.
type exactFinder struct {
	needle       []byte
	rare1, rare2 int // offsets of the two rarest bytes in needle
}

func newExactFinder(needle []byte) *exactFinder {
	r1, r2 := rarest(needle, func(c byte) int { return int(byteRank[c]) })
	return &exactFinder{needle: needle, rare1: r1, rare2: r2}
}

func (f *exactFinder) minLen() int { return len(f.needle) }

func (f *exactFinder) next(buf []byte, from int) int {
	n := len(f.needle)
	b1, b2 := f.needle[f.rare1], f.needle[f.rare2]
	end := len(buf) - n + f.rare1 + 1 // the rare byte of a match that fits lies before end
	for i := from + f.rare1; i < end; {
		j := bytes.IndexByte(buf[i:end], b1)
		if j < 0 {
			return -1
		}
		s := i + j - f.rare1
		if buf[s+f.rare2] == b2 && bytes.Equal(buf[s:s+n], f.needle) {
			return s
		}
		i += j + 1
	}
	return -1
}

// foldFinder finds an ASCII string ignoring ASCII case. Its needle holds no
// 'k' or 's': those letters also fold to non-ASCII runes (KELVIN SIGN, LONG
// S), which only the regexp engine handles.
type foldFinder struct {
	lower        []byte
	rare1, rare2 int
}

func newFoldFinder(needle []byte) *foldFinder {
	lower := bytes.ToLower(needle)
	score := func(c byte) int { return max(int(byteRank[c]), int(byteRank[upper(c)])) }
	r1, r2 := rarest(lower, score)
	return &foldFinder{lower: lower, rare1: r1, rare2: r2}
}

func (f *foldFinder) minLen() int { return len(f.lower) }

func (f *foldFinder) next(buf []byte, from int) int {
	n := len(f.lower)
	lo := f.lower[f.rare1]
	end := len(buf) - n + f.rare1 + 1
	for i := from + f.rare1; i < end; {
		j := indexFold(buf, i, end, lo)
		if j >= end {
			return -1
		}
		s := j - f.rare1
		if lowerByte(buf[s+f.rare2]) == f.lower[f.rare2] && equalFoldASCII(buf[s:s+n], f.lower) {
			return s
		}
		i = j + 1
	}
	return -1
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	cases = 0x2020202020202020
)

// indexFold is the index of the first byte in buf[i:end] equal to lo in
// either ASCII case, or end. For a letter both cases are found in one pass
// eight bytes at a time: setting bit 0x20 makes an upper-case letter lower
// case and is a no-op on the lower-case one; the word then has a zero byte
// exactly where it equals lo (only the lowest flagged byte is exact, which
// is the one used).
func indexFold(buf []byte, i, end int, lo byte) int {
	if lo < 'a' || lo > 'z' {
		if j := bytes.IndexByte(buf[i:end], lo); j >= 0 {
			return i + j
		}
		return end
	}
	pat := uint64(lo) * ones
	for ; i+8 <= end; i += 8 {
		v := (binary.LittleEndian.Uint64(buf[i:]) | cases) ^ pat
		if m := (v - ones) &^ v & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < end; i++ {
		if buf[i]|0x20 == lo {
			return i
		}
	}
	return end
}

// setFinder finds the earliest of several literals (a regexp's required
// alternatives), window by window.
type setFinder struct {
	members []finder
	maxLen  int
	least   int
}

func newSetFinder(members []finder) *setFinder {
	f := &setFinder{members: members, least: members[0].minLen()}
	for _, m := range members {
		f.maxLen = max(f.maxLen, m.minLen())
		f.least = min(f.least, m.minLen())
	}
	return f
}

func (f *setFinder) minLen() int { return f.least }

func (f *setFinder) next(buf []byte, from int) int {
	for start := from; start < len(buf); start += window {
		stop := start + window
		sub := buf[:min(len(buf), stop+f.maxLen-1)]
		best := -1
		for _, m := range f.members {
			if s := m.next(sub, start); s >= 0 && (best < 0 || s < best) {
				best = s
			}
		}
		if best >= 0 && best < stop {
			return best
		}
	}
	return -1
}

// rarest returns the offsets of the two lowest-scoring bytes of p (the same
// offset twice for a one-byte needle).
func rarest(p []byte, score func(byte) int) (int, int) {
	r1, r2 := 0, 0
	for i := 1; i < len(p); i++ {
		if score(p[i]) < score(p[r1]) {
			r1 = i
		}
	}
	if len(p) > 1 && r1 == 0 {
		r2 = 1
	}
	for i := range p {
		if i != r1 && score(p[i]) < score(p[r2]) {
			r2 = i
		}
	}
	return r1, r2
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// equalFoldASCII compares p with an already lower-cased needle.
func equalFoldASCII(p, lower []byte) bool {
	for i, c := range lower {
		if lowerByte(p[i]) != c {
			return false
		}
	}
	return true
}
