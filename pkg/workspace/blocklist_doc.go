package workspace

import (
	"fmt"
	"strings"
)

// Markers around the generated blocklist in SECURITY.md.
const (
	DocBegin = "<!-- blocked-paths:begin (generated from pkg/workspace DefaultRules by `go generate ./workspace` in pkg; do not edit) -->"
	DocEnd   = "<!-- blocked-paths:end -->"
)

// BlocklistDoc renders DefaultRules as the markdown table SECURITY.md
// carries between DocBegin and DocEnd.
func BlocklistDoc() string {
	var b strings.Builder
	b.WriteString("| blocked names and paths | what they hold |\n| --- | --- |\n")
	for _, r := range DefaultRules() {
		quoted := make([]string, len(r.Patterns))
		for i, p := range r.Patterns {
			quoted[i] = "`" + p + "`"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", strings.Join(quoted, ", "), r.What)
	}
	return b.String()
}

// ReplaceGenerated puts block between the markers of doc, or says which
// marker is missing.
func ReplaceGenerated(doc, block string) (string, error) {
	i := strings.Index(doc, DocBegin)
	j := strings.Index(doc, DocEnd)
	if i < 0 || j < i {
		return "", fmt.Errorf("markers %q ... %q not found in order", DocBegin, DocEnd)
	}
	return doc[:i+len(DocBegin)] + "\n" + block + doc[j:], nil
}
