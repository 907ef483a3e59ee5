package handoff

import (
	"encoding/json"
	"regexp"
	"strings"

	"codexpro.dev/pkg/bridge"
)

var verdictLine = regexp.MustCompile(`(?i)^CODEXPRO_REVIEW\s*=\s*(PASS|FAIL)\b`)

// parseVerdictLines returns the verdict of the LAST CODEXPRO_REVIEW=PASS|FAIL
// line in out, or "". The last line wins because a reviewer that echoes a
// file or a diff before its own verdict must not be hijacked by a line
// planted in that file.
func parseVerdictLines(out string) string {
	verdict := ""
	for _, line := range strings.Split(out, "\n") {
		if m := verdictLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			verdict = strings.ToUpper(m[1])
		}
	}
	return verdict
}

// parseVerdictFile reads what a reviewer wrote to $HANDOFF_VERDICT_FILE:
// a JSON object {"verdict":"PASS"}, a CODEXPRO_REVIEW= line, or the bare
// word PASS or FAIL. Anything else is no verdict (""), and because the file
// is authoritative once written, the reviewer's stdout is not consulted.
func parseVerdictFile(data string) string {
	t := strings.TrimSpace(data)
	var obj struct {
		Verdict string `json:"verdict"`
	}
	if strings.HasPrefix(t, "{") && json.Unmarshal([]byte(t), &obj) == nil {
		t = strings.TrimSpace(obj.Verdict)
	}
	switch strings.ToUpper(t) {
	case bridge.VerdictPass, bridge.VerdictFail:
		return strings.ToUpper(t)
	}
	return parseVerdictLines(t)
}
