package redact

// Plain reports whether p holds nothing that Text, Field or Args would
// change, whichever of its strings they are given: p is printable ASCII
// without backslashes (so the strings of a JSON text are its bytes, and no
// Unicode case folding can form a name), holds no rule's hint, and no part
// of a secret-like field name that no hint covers. A caller with such bytes
// can skip decoding and redacting them; the log writer does, for the
// ordinary lines of every request.
func Plain(p []byte) bool {
	for _, c := range p {
		if c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return scanner.maskBytes(p) == 0 && !containsFold(p, "passwd") && !containsFold(p, "credential")
}

// containsFold is an ASCII case-insensitive search for a lower-case needle.
func containsFold(p []byte, needle string) bool {
	for i := 0; i+len(needle) <= len(p); i++ {
		j := 0
		for j < len(needle) && p[i+j]|0x20 == needle[j] {
			j++
		}
		if j == len(needle) {
			return true
		}
	}
	return false
}
