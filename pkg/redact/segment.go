package redact

import "strings"

// Segments are the logical lines of a text that the rules run on. A line
// that ends where a value may follow on the next line ("api_key:",
// "TOKEN =", "--token", "Authorization: Bearer", "api_key: |") is joined
// with the next one, and with blank lines after it, so patterns whose
// separators may span a newline still see both parts. Line by line: a line
// is open when it continues, or is blank after an open line; a segment
// ends after a line that is not open, or at the end of the text.

// findHints scans s once for hints: the rules with one in s, and where
// they end (scanner.hits), unless they are dense (more than one place per
// 256 bytes: the hints are common words such as "key" and "token", and in
// a file of name=value lines every line has some), where walking every
// segment costs no more than finding each hit's.
func findHints(dst []hit, s string) (rules uint64, hits []hit, dense bool) {
	return scanner.hits(dst, s, 16+len(s)/256)
}

// forEachHintSegment calls fn, in order, with the bounds of each segment
// of s that holds a rule's hint and the set of those rules; hits and dense
// are findHints' for s. Only the segments around the hits are found: the
// rest of s costs the one pass of the hint scanner and nothing more. Where
// hints are dense, every segment is walked and scanned instead.
func forEachHintSegment(s string, hits []hit, dense bool, fn func(start, end int, rules uint64)) {
	if dense {
		forEachSegment(s, func(start, end int) {
			if rules := scanner.mask(s[start:end]); rules != 0 {
				fn(start, end, rules)
			}
		})
		return
	}
	floor := 0
	for j := 0; j < len(hits); {
		start, end := segmentAround(s, hits[j].at, floor)
		var rules uint64
		for ; j < len(hits) && hits[j].at < end; j++ {
			rules |= hits[j].rules
		}
		fn(start, end, rules)
		floor = end
	}
}

// forEachSegment calls fn with the bounds of every segment of s, in order.
func forEachSegment(s string, fn func(start, end int)) {
	start := 0
	for start < len(s) {
		end := start
		open := false
		for {
			nl := strings.IndexByte(s[end:], '\n')
			if nl < 0 {
				end = len(s)
				break
			}
			line := s[end : end+nl]
			end += nl + 1
			open = continues(line) || open && blank(line)
			if end == len(s) || !open {
				break
			}
		}
		fn(start, end)
		start = end
	}
}

// segmentAround returns the bounds of the segment of s that holds s[at];
// a segment ends at floor, so it starts there or later.
func segmentAround(s string, at, floor int) (start, end int) {
	line := strings.LastIndexByte(s[:at], '\n') + 1
	start = segmentStart(s, line, floor)
	open := start < line // the line above is in the segment, so it is open
	end = line
	for {
		nl := strings.IndexByte(s[end:], '\n')
		if nl < 0 {
			return start, len(s)
		}
		l := s[end : end+nl]
		end += nl + 1
		open = continues(l) || open && blank(l)
		if end == len(s) || !open {
			return start, end
		}
	}
}

// segmentStart returns where the segment holding the line that starts at
// line starts: above it, lines join while the line above is open; none
// joins across floor, where a segment ends.
func segmentStart(s string, line, floor int) int {
	start := line
	for p := start; p > floor; {
		above := strings.LastIndexByte(s[:p-1], '\n') + 1
		l := s[above : p-1]
		switch {
		case continues(l): // open: it and the blank lines below it join
			start, p = above, above
		case blank(l) && above > floor: // open only if the line above it is
			p = above
		default:
			return start
		}
	}
	return start
}

func blank(line string) bool { return strings.TrimSpace(line) == "" }

// continuationWords end a line whose value may sit on the next line.
var continuationWords = []string{"bearer", "token", "key", "install", "password", "secret"}

func continues(line string) bool {
	t := strings.TrimRight(line, " \t\r")
	if t == "" {
		return false
	}
	if u := strings.TrimRight(strings.TrimRight(t, "+-0123456789|>\\(["), " \t"); u != t && u != "" {
		if c := u[len(u)-1]; c == '=' || c == ':' {
			return true // a block scalar, a line continuation or an opening bracket
		}
	}
	if c := t[len(t)-1]; c == '=' || c == ':' {
		return true
	}
	lower := asciiLower(t[max(0, len(t)-8):])
	for _, w := range continuationWords {
		if strings.HasSuffix(lower, w) {
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay the same
// as in the original string (strings.ToLower may change lengths).
func asciiLower(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
