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
	index  map[string]int32
	uni    map[uint64]int32 // transitions on non-ASCII runes

	set   []uint32 // scratch: the state being built
	stack []uint32
	mark  []uint32 // per instruction: generation that last added it
	gen   uint32
	key   []byte
}

// dstate is a set of program positions. next caches ASCII transitions as
// state index + 1 (0 = not computed yet).
type dstate struct {
	pcs   []uint32
	match bool
	next  [utf8.RuneSelf]int32
}

// Bounds on the cache: a pattern whose DFA grows past maxStates starts a
// fresh cache, so memory stays bounded while the scan goes on.
const (
	maxStates   = 2048
	maxDFAInsts = 4000
)

// newDFAProg compiles the program the DFA runs, or nil when the pattern is
// too large to be worth it.
func newDFAProg(re *syntax.Regexp) *syntax.Prog {
	prog, err := syntax.Compile(re)
	if err != nil || len(prog.Inst) > maxDFAInsts {
		return nil
	}
	return prog
}

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
		d.states[cur].next[r] = next + 1
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

// lineMatches reports whether line (without its newline) may match.
func (d *lazyDFA) lineMatches(line []byte) bool {
	cur := int32(0)
	if d.states[0].match {
		return true
	}
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			if nx := d.states[cur].next[c]; nx != 0 {
				cur = nx - 1
			} else {
				cur = d.step(cur, rune(c))
			}
			i++
		} else {
			r, size := utf8.DecodeRune(line[i:])
			if nx, ok := d.uni[uint64(cur)<<32|uint64(uint32(r))]; ok {
				cur = nx
			} else {
				cur = d.step(cur, r)
			}
			i += size
		}
		if d.states[cur].match {
			return true
		}
	}
	return false
}
