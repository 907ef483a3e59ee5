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
// all of its hints (most lines of source code or tool output lack them).
func redactOnce(s string, keep bool) string {
	all := scanner.mask(s)
	if all == 0 {
		return s
	}
	for i := range compiled {
		if compiled[i].multiline && all&(1<<i) != 0 {
			s = compiled[i].apply(s, keep)
		}
	}
	var b strings.Builder
	last := 0
	forEachSegment(s, func(start, end int) {
		seg := s[start:end]
		m := scanner.mask(seg)
		if m == 0 {
			return
		}
		if red := redactSegment(seg, m, keep); red != seg {
			b.WriteString(s[last:start])
			b.WriteString(red)
			last = end
		}
	})
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func redactSegment(seg string, mask uint64, keep bool) string {
	lower := asciiLower(seg)
	for i := range compiled {
		r := &compiled[i]
		if r.multiline || mask&(1<<i) == 0 || !r.hit(lower) {
			continue
		}
		if next := r.apply(seg, keep); next != seg {
			seg, lower = next, asciiLower(next)
		}
	}
	return seg
}

// HasSecret reports the kind of the first live secret in s ("openai-key",
// "private-key", "secret-assignment", ...). Vendor formats are checked before
// the generic name=value rules so the kind is as precise as possible.
func HasSecret(s string) (kind string, ok bool) {
	if scanner.mask(s) == 0 {
		return "", false
	}
	var segs, lowers []string
	forEachSegment(s, func(start, end int) {
		segs = append(segs, s[start:end])
		lowers = append(lowers, asciiLower(s[start:end]))
	})
	for _, specific := range []bool{true, false} {
		for i := range compiled {
			r := &compiled[i]
			if r.specific == specific && r.findIn(s, segs, lowers) {
				return r.kind, true
			}
		}
	}
	return "", false
}

func (r *rule) findIn(s string, segs, lowers []string) bool {
	if r.multiline {
		return r.find(s)
	}
	for i, seg := range segs {
		if r.hit(lowers[i]) && r.find(seg) {
			return true
		}
	}
	return false
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
