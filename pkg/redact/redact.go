// Package redact finds live secrets in text and replaces them with
// Placeholder. Every string that leaves CodexPro (tool results, errors,
// logs) passes through Text or Value; HasSecret lets writers refuse content.
package redact

import "strings"

// Placeholder replaces every redacted secret.
const Placeholder = "[REDACTED_SECRET]"

// compiled is built once and only read afterwards; regexps are safe for
// concurrent use.
var compiled = rules()

// scanner finds the rules whose hints occur in a text in one pass.
var scanner = newHintScanner(compiled)

// maxPasses bounds the fixed-point loop in Text. One pass almost always
// suffices; a second catches secrets that an earlier replacement exposed.
const maxPasses = 4

// Text returns s with every secret replaced by Placeholder, keeping the
// readable prefix ("OPENAI_API_KEY=", "Authorization: Bearer ") in place.
func Text(s string) string {
	return fixedPoint(s, false)
}

// fixedPoint redacts s until nothing changes (at most maxPasses times);
// keep keeps every line break, as Lines promises.
func fixedPoint(s string, keep bool) string {
	for range maxPasses {
		next := redactOnce(s, keep)
		if next == s {
			return s
		}
		s = next
	}
	return s
}

// redactOnce applies every rule once: multi-line rules to the whole text,
// the others segment by segment, skipping a rule on a segment that lacks
// all of its hints (most lines of source code or tool output lack them),
// and every segment without a hint.
func redactOnce(s string, keep bool) string {
	var buf [16]hit
	all, hits, dense := findHints(buf[:0], s)
	if all == 0 {
		return s
	}
	for i := range compiled {
		if compiled[i].multiline && all&(1<<i) != 0 {
			if next := compiled[i].apply(s, keep); next != s {
				s = next
				all, hits, dense = findHints(hits[:0], s)
			}
		}
	}
	var b strings.Builder
	last := 0
	forEachHintSegment(s, hits, dense, func(start, end int, rules uint64) {
		seg := s[start:end]
		if red := redactSegment(seg, rules, keep); red != seg {
			b.WriteString(s[last:start])
			b.WriteString(red)
			last = end
		}
	})
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// redactSegment applies the segment rules whose hints seg holds (rules).
// Until a rule changes seg, rules says which hints it holds, so only a
// rule's cheap exact test (pre) runs before its regexp; after a change,
// each rule looks for its hints in the new text again.
func redactSegment(seg string, rules uint64, keep bool) string {
	var lower string
	lowered, fresh := false, true
	for i := range compiled {
		r := &compiled[i]
		if r.multiline || rules&(1<<i) == 0 {
			continue
		}
		if !fresh || r.pre != nil {
			if !lowered {
				lower, lowered = asciiLower(seg), true
			}
			if fresh && !r.pre(lower) || !fresh && !r.hit(lower) {
				continue
			}
		}
		if next := r.apply(seg, keep); next != seg {
			seg, lowered, fresh = next, false, false
		}
	}
	return seg
}

// HasSecret reports the kind of the first live secret in s ("openai-key",
// "private-key", "secret-assignment", ...). Vendor formats are checked before
// the generic name=value rules so the kind is as precise as possible.
func HasSecret(s string) (kind string, ok bool) {
	var buf [16]hit
	all, hits, dense := findHints(buf[:0], s)
	if all == 0 {
		return "", false
	}
	type segment struct {
		text, lower string
		rules       uint64
	}
	var segs []segment
	forEachHintSegment(s, hits, dense, func(start, end int, rules uint64) {
		segs = append(segs, segment{s[start:end], asciiLower(s[start:end]), rules})
	})
	for _, specific := range []bool{true, false} {
		for i := range compiled {
			r := &compiled[i]
			if r.specific != specific || all&(1<<i) == 0 {
				continue
			}
			if r.multiline {
				if r.find(s) {
					return r.kind, true
				}
				continue
			}
			for _, seg := range segs {
				if seg.rules&(1<<i) != 0 && r.hit(seg.lower) && r.find(seg.text) {
					return r.kind, true
				}
			}
		}
	}
	return "", false
}

// Field redacts value as it would be redacted when written as
// `name: "value"`, so a log field named "token" or "api_key" is hidden even
// when its value has no recognisable format. Short values (< 8 bytes) such as
// "env" or "none" stay visible, and so do names that describe a secret
// rather than hold it ("token_source", "token_file").
func Field(name, value string) string {
	if len(value) >= 8 && secretName.MatchString(name) && !describesSecret.MatchString(name) &&
		!placeholder(name+"="+value, "") {
		return Placeholder
	}
	return Text(value)
}

func (r *rule) hit(lower string) bool {
	for _, h := range r.hints {
		if strings.Contains(lower, h) {
			return r.pre == nil || r.pre(lower)
		}
	}
	return false
}

func (r *rule) find(s string) bool {
	for _, m := range r.re.FindAllStringSubmatchIndex(s, -1) {
		if r.exempt == nil || !r.exempt(s[m[0]:m[1]], s[m[2*r.group]:m[2*r.group+1]]) {
			return true
		}
	}
	return false
}

// apply replaces every match's secret with Placeholder; keep replaces each
// line of a secret that spans lines by its own Placeholder instead.
func (r *rule) apply(s string, keep bool) string {
	matches := r.re.FindAllStringSubmatchIndex(s, -1)
	if matches == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range matches {
		start, end := m[2*r.group], m[2*r.group+1]
		if start < 0 || r.exempt != nil && r.exempt(s[m[0]:m[1]], s[start:end]) {
			continue
		}
		b.WriteString(s[last:start])
		writeSecret(&b, s[start:end], keep)
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
