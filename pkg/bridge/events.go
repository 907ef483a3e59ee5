package bridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Event names written to execution-log.jsonl (and, for the handoff tools,
// mirrored to session-log.jsonl).
const (
	EventHandoffToAgent        = "handoff_to_agent"
	EventHandoffToCodex        = "handoff_to_codex"
	EventExecuteHandoff        = "execute_handoff"
	EventWatchStarted          = "watch_handoff_started"
	EventWatchFinished         = "watch_handoff_finished"
	EventLoopIterationStarted  = "loop_handoff_iteration_started"
	EventLoopIterationFinished = "loop_handoff_iteration_finished"
	EventLoopFinished          = "loop_handoff_finished"
	EventProApply              = "pro_apply"
)

// Event is one JSONL log line: ts first, event second, then the fields in
// key order.
type Event struct {
	TS     string
	Name   string
	Fields map[string]any
}

// MarshalJSON keeps ts and event in front, as readers of CodexPro 0.30's
// logs expect.
func (e Event) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"ts":`)
	writeJSON(&b, e.TS)
	b.WriteString(`,"event":`)
	writeJSON(&b, e.Name)
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		if k != "ts" && k != "event" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteByte(',')
		writeJSON(&b, k)
		b.WriteByte(':')
		v, err := json.Marshal(e.Fields[k])
		if err != nil {
			return nil, fmt.Errorf("event %s field %s: %w", e.Name, k, err)
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, s string) {
	v, _ := json.Marshal(s) // a string always marshals
	b.Write(v)
}

// Line renders the event as one JSONL line with its newline.
func (e Event) Line() ([]byte, error) {
	v, err := e.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append(v, '\n'), nil
}

// DefaultMaxLogBytes bounds execution-log.jsonl and session-log.jsonl: the
// reference lets them grow forever.
const DefaultMaxLogBytes = 4 << 20

// AppendLine appends line to a JSONL log's current content and, when the
// result exceeds max bytes, drops whole lines from the front so the newest
// events survive.
func AppendLine(existing, line []byte, max int) []byte {
	out := make([]byte, 0, len(existing)+len(line)+1)
	out = append(out, existing...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	out = append(out, line...)
	if max <= 0 || len(out) <= max {
		return out
	}
	cut := len(out) - max
	if out[cut-1] == '\n' {
		return out[cut:]
	}
	if i := bytes.IndexByte(out[cut:], '\n'); i >= 0 && cut+i+1 < len(out) {
		return out[cut+i+1:]
	}
	return line
}
