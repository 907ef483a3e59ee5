package workspace

import (
	"fmt"
	"strings"

	"codexpro.dev/pkg/docblock"
)

// Markers around the generated blocklist in SECURITY.md.
const (
	DocBegin = "<!-- blocked-paths:begin (generated from pkg/workspace DefaultRules by `go generate ./workspace` in pkg; do not edit) -->"
	DocEnd   = "<!-- blocked-paths:end -->"
)

// DocBlock is the generated blocklist's place in SECURITY.md.
var DocBlock = docblock.Block{Begin: DocBegin, End: DocEnd}

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
func ReplaceGenerated(doc, block string) (string, error) { return DocBlock.Replace(doc, block) }
