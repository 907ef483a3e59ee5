package procx

import (
	"fmt"
	"strings"
	"sync"
)

// truncationMarker is appended to a stream that hit its cap so a reader
// (human or model) never mistakes a cut-off output for the whole of it.
const truncationMarker = "\n...[output truncated at %d bytes]"

// StripMarker removes the truncation marker from the end of a stream, for a
// caller that filters the raw bytes and marks the result itself.
func StripMarker(s string) string {
	if i := strings.LastIndex(s, "\n...[output truncated at "); i >= 0 && strings.HasSuffix(s, " bytes]") {
		return s[:i]
	}
	return s
}

// floodFactor and floodSlack decide when output is "far past the cap": a
// command that keeps printing after that is killed early instead of being
// drained until its timeout. The slack lets chatty but finite commands (a
// verbose test run) finish with their exit code intact.
const (
	floodFactor = 4
	floodSlack  = 256 << 10
)

// capture retains at most max bytes of one stream, counts everything it
// observed and reports a flood once through onFlood.
type capture struct {
	name    string
	max     int
	mu      sync.Mutex
	buf     []byte
	seen    int64
	flooded bool
	onFlood func()
	live    func(stream string, p []byte)
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.seen += int64(len(p))
	keep := min(len(p), c.max-len(c.buf))
	var kept []byte
	if keep > 0 {
		kept = p[:keep]
		c.buf = append(c.buf, kept...)
	}
	flood := !c.flooded && c.seen > int64(c.max)*floodFactor+floodSlack
	if flood {
		c.flooded = true
	}
	c.mu.Unlock()
	if len(kept) > 0 && c.live != nil {
		c.live(c.name, kept)
	}
	if flood {
		c.onFlood()
	}
	return len(p), nil
}

// result returns the retained text, with the marker when bytes were dropped.
func (c *capture) result() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen <= int64(c.max) {
		return string(c.buf), false
	}
	return string(c.buf) + fmt.Sprintf(truncationMarker, c.max), true
}
