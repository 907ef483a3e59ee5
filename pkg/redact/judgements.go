package redact

import (
	"crypto/sha256"
	"sync"
	"unsafe"
)

// Judgements remembers the Units that Judge made, by the SHA-256 of the
// text judged, so a file read or searched again unchanged is not judged
// again: a source file with a hint or two costs a hint scan and then
// regexps on every segment with a hint, hundreds of microseconds, where
// the digest costs a few. The key is the text's own digest, never its
// name or mtime, so a changed file can never be given an old judgement.
// A caller that has the digest already (read) looks up first, and a clean
// text is kept too, so reading it again skips even the hint scan; one
// without it (search) scans first, and computes the digest only for a
// text with a hint. At most maxJudged units, and about maxJudgedBytes of
// redacted lines, are kept in each of two generations; when the newer
// fills up, the older is dropped; a unit larger than an eighth of that is
// not kept. A nil *Judgements judges every time. Safe for concurrent use.
type Judgements struct {
	mu        sync.Mutex
	cur, prev map[[sha256.Size]byte]Unit
	curBytes  int
}

const (
	maxJudged      = 2048
	maxJudgedBytes = 4 << 20
)

// NewJudgements returns an empty cache.
func NewJudgements() *Judgements {
	return &Judgements{cur: map[[sha256.Size]byte]Unit{}}
}

// Judge returns Judge(s), remembered. sum, when not nil, is the SHA-256 of
// s, which a caller that has it already passes to save computing it again.
func (j *Judgements) Judge(s string, sum *[sha256.Size]byte) Unit {
	if j == nil {
		return Judge(s)
	}
	if sum == nil {
		if scanner.mask(s) == 0 {
			return Unit{}
		}
		d := sha256.Sum256(unsafe.Slice(unsafe.StringData(s), len(s))) // only read
		sum = &d
	}
	if u, ok := j.lookup(*sum); ok {
		return u
	}
	u := Judge(s)
	j.keep(*sum, u)
	return u
}

func (j *Judgements) lookup(sum [sha256.Size]byte) (Unit, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if u, ok := j.cur[sum]; ok {
		return u, true
	}
	u, ok := j.prev[sum]
	if ok {
		j.add(sum, u) // still in use: keep it through the next turn
	}
	return u, ok
}

func (j *Judgements) keep(sum [sha256.Size]byte, u Unit) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.add(sum, u)
}

// add puts u in the newer generation, turning generations first when that
// one is full. Called with mu held.
func (j *Judgements) add(sum [sha256.Size]byte, u Unit) {
	size := len(sum)
	for _, l := range u.changed {
		size += len(l) + 16
	}
	if size > maxJudgedBytes/8 {
		return
	}
	if len(j.cur) >= maxJudged || j.curBytes+size > maxJudgedBytes {
		j.prev, j.cur, j.curBytes = j.cur, make(map[[sha256.Size]byte]Unit, len(j.cur)), 0
	}
	j.cur[sum] = u
	j.curBytes += size
}
