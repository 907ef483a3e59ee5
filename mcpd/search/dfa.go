package search

import (
	"encoding/binary"
	"regexp/syntax"
	"slices"
	"unicode/utf8"
)

// lazyDFA finds the lines that may match a regexp with no required literal,
// at the cost of a table lookup per byte; Go's regexp engines cost ten or
// more times that. It is only a filter: empty-width assertions (^ $ \b) are
// assumed to hold, so it accepts a superset of the matching lines, and each
// line it accepts is confirmed by the regexp. States are built on demand
// from the compiled program and cached; one DFA belongs to one worker.
type lazyDFA struct {
	prog   *syntax.Prog
	start  []uint32 // instructions reachable from the start without input
	states []dstate
	trans  []int32 // ASCII transitions, 128 per state (see dstate)
	index  map[string]int32
	uni    map[uint64]int32 // transitions on non-ASCII runes

	set   []uint32 // scratch: the state being built
	stack []uint32
	mark  []uint32 // per instruction: generation that last added it
	gen   uint32
	key   []byte
}

// dstate is a set of program positions. Its ASCII transitions live in
// lazyDFA.trans at index state*128+byte, as next state + 1, negated when the
// next state matches (0 = not computed yet), so the scan loop reads one
// int32 per byte.
type dstate struct {
	pcs   []uint32
	match bool
}

// maxStates bounds the cache: a pattern whose DFA grows past it starts a
// fresh cache, so memory stays bounded while the scan goes on.
const maxStates = 2048

func newLazyDFA(prog *syntax.Prog) *lazyDFA {
	d := &lazyDFA{prog: prog, mark: make([]uint32, len(prog.Inst))}
	d.gen++
	d.set = d.set[:0]
	d.closure(uint32(prog.Start))
	d.start = slices.Clone(d.set)
	d.reset()
	return d
}

// reset empties the cache; state 0 is always the start state (the state
// at the beginning of every line).
func (d *lazyDFA) reset() {
	d.states = d.states[:0]
	d.trans = d.trans[:0]
	d.index = map[string]int32{}
	d.uni = map[uint64]int32{}
	d.gen++
	d.set = append(d.set[:0], d.start...)
	d.intern()
}

// closure adds to d.set the consuming instructions and matches reachable
// from pc without input, treating every empty-width assertion as true.
func (d *lazyDFA) closure(pc uint32) {
	d.stack = append(d.stack[:0], pc)
	for len(d.stack) > 0 {
		pc := d.stack[len(d.stack)-1]
		d.stack = d.stack[:len(d.stack)-1]
		if d.mark[pc] == d.gen {
			continue
		}
		d.mark[pc] = d.gen
		inst := &d.prog.Inst[pc]
		switch inst.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			d.stack = append(d.stack, inst.Arg, inst.Out)
		case syntax.InstCapture, syntax.InstEmptyWidth, syntax.InstNop:
			d.stack = append(d.stack, inst.Out)
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL, syntax.InstMatch:
			d.set = append(d.set, pc)
		}
	}
}

// intern returns the index of the state d.set, adding it if new.
func (d *lazyDFA) intern() int32 {
	slices.Sort(d.set)
	d.key = d.key[:0]
	for _, pc := range d.set {
		d.key = binary.LittleEndian.AppendUint32(d.key, pc)
	}
	if i, ok := d.index[string(d.key)]; ok {
		return i
	}
	s := dstate{pcs: slices.Clone(d.set)}
	for _, pc := range s.pcs {
		if d.prog.Inst[pc].Op == syntax.InstMatch {
			s.match = true
		}
	}
	i := int32(len(d.states))
	d.states = append(d.states, s)
	d.trans = append(d.trans, make([]int32, utf8.RuneSelf)...)
	d.index[string(d.key)] = i
	return i
}

// step returns the state after reading r in state cur. A new match attempt
// may begin after every rune, so the start instructions are always added.
func (d *lazyDFA) step(cur int32, r rune) int32 {
	if int(cur) < len(d.states) && len(d.states) >= maxStates {
		pcs := slices.Clone(d.states[cur].pcs)
		d.reset()
		d.set = append(d.set[:0], pcs...)
		cur = d.intern()
	}
	if r == '\n' { // matches never span lines: a newline starts over
		d.trans[int(cur)*utf8.RuneSelf+'\n'] = 1
		return 0
	}
	d.gen++
	d.set = d.set[:0]
	for _, pc := range d.states[cur].pcs {
		if inst := &d.prog.Inst[pc]; consumes(inst, r) {
			d.closure(inst.Out)
		}
	}
	for _, pc := range d.start {
		if d.mark[pc] != d.gen {
			d.mark[pc] = d.gen
			d.set = append(d.set, pc)
		}
	}
	next := d.intern()
	if r < utf8.RuneSelf {
		t := next + 1
		if d.states[next].match {
			t = -t
		}
		d.trans[int(cur)*utf8.RuneSelf+int(r)] = t
	} else {
		d.uni[uint64(cur)<<32|uint64(uint32(r))] = next
	}
	return next
}

func consumes(inst *syntax.Inst, r rune) bool {
	switch inst.Op {
	case syntax.InstRune1:
		return r == inst.Rune[0]
	case syntax.InstRune:
		return inst.MatchRune(r)
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return r != '\n'
	}
	return false
}

// next returns the first position after buf[i:] at which some line may
// match (just after the byte that completed a match), or -1. A newline
// returns the DFA to its start state, so one pass covers the whole buffer
// with no per-line work. The start state must not be a matching one.
func (d *lazyDFA) next(buf []byte, i int) int {
	cur := int32(0)
	for i < len(buf) {
		c := buf[i]
		if c < utf8.RuneSelf {
			t := d.trans[int(cur)<<7|int(c)]
			i++
			if t > 0 {
				cur = t - 1
				continue
			}
			if t < 0 {
				return i
			}
			cur = d.step(cur, rune(c))
		} else {
			r, size := utf8.DecodeRune(buf[i:])
			i += size
			if nx, ok := d.uni[uint64(cur)<<32|uint64(uint32(r))]; ok {
				cur = nx
			} else {
				cur = d.step(cur, r)
			}
		}
		if d.states[cur].match {
			return i
		}
	}
	return -1
}
