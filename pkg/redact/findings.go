package redact

// finding is one live secret: its kind and its value.
type finding struct{ kind, value string }

// findings counts every live secret in s by kind and value, the way
// HasSecret finds them: multi-line rules over the whole text, the others
// over each segment that holds one of their hints.
func findings(s string) map[finding]int {
	var buf [16]hit
	all, hits, dense := findHints(buf[:0], s)
	if all == 0 {
		return nil
	}
	out := map[finding]int{}
	for i := range compiled {
		if r := &compiled[i]; r.multiline && all&(1<<i) != 0 {
			r.collect(s, out)
		}
	}
	forEachHintSegment(s, hits, dense, func(start, end int, rules uint64) {
		seg := s[start:end]
		lower := asciiLower(seg)
		for i := range compiled {
			if r := &compiled[i]; !r.multiline && rules&(1<<i) != 0 && r.hit(lower) {
				r.collect(seg, out)
			}
		}
	})
	return out
}

// collect adds every live (not exempt) match of r in s to out.
func (r *rule) collect(s string, out map[finding]int) {
	for _, m := range r.re.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[2*r.group], m[2*r.group+1]
		if start < 0 || r.exempt != nil && r.exempt(s[m[0]:m[1]], s[start:end]) {
			continue
		}
		out[finding{r.kind, s[start:end]}]++
	}
}

// Changes compares the live secrets of two versions of one file. added is
// the kind of a secret that after holds more often than before ("" when
// none; vendor formats are named before generic name=value kinds), so a
// writer can refuse a change that makes a file hold a secret it did not
// hold, however the change was assembled (a token completed by an edit, a
// key body filled in line by line, a copy of a file with keys). lost
// reports that before held a secret that after no longer holds.
func Changes(before, after string) (added string, lost bool) {
	if scanner.mask(after) == 0 {
		return "", scanner.mask(before) != 0 && len(findings(before)) > 0
	}
	was, now := findings(before), findings(after)
	specific := false
	for f, n := range now {
		if n <= was[f] {
			continue
		}
		if s := isSpecific(f.kind); added == "" || s && !specific || s == specific && f.kind < added {
			added, specific = f.kind, s
		}
	}
	for f, n := range was {
		if now[f] < n {
			lost = true
			break
		}
	}
	return added, lost
}

func isSpecific(kind string) bool {
	for i := range compiled {
		if compiled[i].kind == kind {
			return compiled[i].specific
		}
	}
	return false
}
