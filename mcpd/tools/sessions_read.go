package tools

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"codexpro.dev/mcpd/codexsessions"
	"codexpro.dev/mcpd/toolkit"
)

type readSessionIn struct {
	SessionID          string `json:"session_id,omitempty" jsonschema:"Session id from codex_sessions"`
	SourcePath         string `json:"source_path,omitempty" jsonschema:"source_path from codex_sessions (a .jsonl file under the Codex sessions folders)"`
	Direction          string `json:"direction,omitempty" jsonschema:"head (oldest first) or tail (newest; default)"`
	Cursor             *int64 `json:"cursor,omitempty" jsonschema:"Byte offset from a previous page's next_cursor"`
	MaxMessages        int    `json:"max_messages,omitempty" jsonschema:"Most messages (1 to 400; default 80)"`
	MaxTotalBytes      int    `json:"max_total_bytes,omitempty" jsonschema:"Most message bytes in this page (4000 to 400000; default 80000)"`
	ExcludeToolOutputs bool   `json:"exclude_tool_outputs,omitempty" jsonschema:"Leave tool outputs out"`
	MaxToolOutputBytes *int   `json:"max_tool_output_bytes,omitempty" jsonschema:"Cap per tool output (0 to 400000; default 20000; 0 leaves them out)"`
}

type sessionMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
	TS      string `json:"ts,omitempty"`

	start, end int64
}

type readSessionOut struct {
	Session           codexsessions.Meta `json:"session"`
	Messages          []sessionMessage   `json:"messages"`
	MessageCount      int                `json:"message_count"`
	Truncated         bool               `json:"truncated"`
	Direction         string             `json:"direction"`
	Cursor            *int64             `json:"cursor"`
	ResumeCursor      int64              `json:"resume_cursor"`
	NextCursor        *int64             `json:"next_cursor"`
	HasMore           bool               `json:"has_more"`
	SourceSizeBytes   int64              `json:"source_size_bytes"`
	CodexSessionsMode string             `json:"codex_sessions_mode"`
}

const toolOutputCut = "\n[Tool output truncated]"

// ReadCodexSessionTool pages through one Codex session's transcript,
// bounded in messages and bytes, with tool outputs capped.
func ReadCodexSessionTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "read_codex_session", Title: "Read Codex session", Kind: toolkit.ReadOnly, Sets: toolkit.AllSets, Traits: toolkit.ReadsCodexSessions,
		Description: "Read a local Codex CLI session transcript (from codex_sessions) in bounded pages, newest first by default; " +
			"tool outputs are capped. Only sessions of projects inside the allowed roots. Read-only: never attaches to a live session.",
	}, readCodexSession)
}

type pageOpts struct {
	head                  bool
	maxMsgs, budget, tool int
	noTools               bool
}

func readCodexSession(_ context.Context, e *toolkit.Env, in readSessionIn) (readSessionOut, string, error) {
	if e.Cfg.CodexSessions != "read" {
		return readSessionOut{}, "", toolkit.UserErrorf("Reading Codex session transcripts is disabled. Start with --codex-sessions read to opt in.")
	}
	o, err := sessionPageOpts(in)
	if err != nil {
		return readSessionOut{}, "", err
	}
	meta, err := findSession(e, in)
	if err != nil {
		return readSessionOut{}, "", err
	}
	out, err := readPage(meta, in.Cursor, o)
	if err != nil {
		return readSessionOut{}, "", err
	}
	out.CodexSessionsMode = e.Cfg.CodexSessions
	return out, sessionText(out), nil
}

func sessionPageOpts(in readSessionIn) (pageOpts, error) {
	o := pageOpts{noTools: in.ExcludeToolOutputs, tool: 20_000}
	switch in.Direction {
	case "", "tail":
	case "head":
		o.head = true
	default:
		return o, toolkit.UserErrorf("direction must be head or tail, got %q.", in.Direction)
	}
	var err error
	if o.maxMsgs, err = intArg("max_messages", in.MaxMessages, 80, 1, 400); err != nil {
		return o, err
	}
	if o.budget, err = intArg("max_total_bytes", in.MaxTotalBytes, 80_000, 4000, 400_000); err != nil {
		return o, err
	}
	if in.MaxToolOutputBytes != nil {
		if *in.MaxToolOutputBytes < 0 || *in.MaxToolOutputBytes > 400_000 {
			return o, toolkit.UserErrorf("max_tool_output_bytes must be between 0 and 400000, got %d.", *in.MaxToolOutputBytes)
		}
		o.tool = *in.MaxToolOutputBytes
	}
	if in.Cursor != nil && *in.Cursor < 0 {
		return o, toolkit.UserErrorf("cursor must be a non-negative integer.")
	}
	return o, nil
}

// findSession resolves the session to read: by source_path (a .jsonl file
// whose real path is under the session folders) or by id; either way only
// a session of a project inside the allowed roots.
func findSession(e *toolkit.Env, in readSessionIn) (codexsessions.Meta, error) {
	roots := codexsessions.Roots(e.Cfg.CodexDir)
	all := toolkit.State[codexsessions.Index](e).Scan(roots, e.Roots.List())
	switch {
	case in.SourcePath != "":
		real, err := sessionSource(in.SourcePath, roots)
		if err != nil {
			return codexsessions.Meta{}, err
		}
		for _, s := range all {
			if s.SourcePath == real && (in.SessionID == "" || s.SessionID == in.SessionID) {
				return s, nil
			}
		}
		return codexsessions.Meta{}, toolkit.UserErrorf("Codex session at source_path is not readable here: its id does not match session_id, or its project is outside the allowed roots.")
	case in.SessionID != "":
		for _, s := range all {
			if s.SessionID == in.SessionID {
				return s, nil
			}
		}
		return codexsessions.Meta{}, toolkit.UserErrorf("Codex session not found: %s (only sessions of projects inside the allowed roots are visible).", in.SessionID)
	}
	return codexsessions.Meta{}, toolkit.UserErrorf("session_id or source_path is required.")
}

func sessionSource(p string, roots []string) (string, error) {
	if !strings.HasSuffix(p, ".jsonl") {
		return "", toolkit.UserErrorf("Codex session source_path must be a .jsonl file.")
	}
	real, err := filepath.EvalSymlinks(filepath.Clean(p))
	if err != nil || !strings.HasSuffix(real, ".jsonl") {
		return "", toolkit.UserErrorf("Codex session source_path is outside configured Codex session roots.")
	}
	for _, r := range roots {
		if strings.HasPrefix(real, r+string(filepath.Separator)) {
			if fi, err := os.Stat(real); err == nil && fi.Mode().IsRegular() {
				return real, nil
			}
		}
	}
	return "", toolkit.UserErrorf("Codex session source_path is outside configured Codex session roots.")
}

// readPage reads one page. Memory is bounded by the page budget plus the
// longest line: older records are dropped once newer ones fill the budget.
func readPage(meta codexsessions.Meta, cursor *int64, o pageOpts) (readSessionOut, error) {
	f, err := os.Open(meta.SourcePath)
	if err != nil {
		return readSessionOut{}, fmt.Errorf("open Codex session: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return readSessionOut{}, fmt.Errorf("stat Codex session: %w", err)
	}
	size := fi.Size()
	if cursor != nil && *cursor > size {
		return readSessionOut{}, toolkit.UserErrorf("cursor is beyond the current Codex session file. The source may have been truncated or replaced; restart pagination without a cursor.")
	}
	out := readSessionOut{Session: meta, Direction: "tail", Cursor: cursor, SourceSizeBytes: size, Messages: []sessionMessage{}}
	if o.head {
		out.Direction = "head"
		start := int64(0)
		if cursor != nil {
			start = *cursor
		}
		return headPage(f, start, o, out)
	}
	end := size
	if cursor != nil {
		end = *cursor
	}
	return tailPage(f, end, o, out)
}

// records calls fn for each message record of f between from and to.
func records(f *os.File, from, to int64, o pageOpts, fn func(sessionMessage) bool) error {
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(io.LimitReader(f, to-from), 64<<10)
	off := from
	for {
		line, err := r.ReadBytes('\n')
		start := off
		off += int64(len(line))
		if len(line) > 0 {
			if m, ok := parseMessage(line, o); ok {
				m.start, m.end = start, off
				if !fn(m) {
					return nil
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func headPage(f *os.File, start int64, o pageOpts, out readSessionOut) (readSessionOut, error) {
	used := 0
	out.ResumeCursor = start
	err := records(f, start, out.SourceSizeBytes, o, func(m sessionMessage) bool {
		if len(out.Messages) >= o.maxMsgs || used >= o.budget {
			out.HasMore = true
			return false
		}
		m.Content, out.Truncated = fitBudget(m.Content, o.budget-used, out.Truncated)
		used += len(m.Content)
		out.Messages = append(out.Messages, m)
		out.ResumeCursor = m.end
		return true
	})
	return finishPage(out), err
}

func tailPage(f *os.File, end int64, o pageOpts, out readSessionOut) (readSessionOut, error) {
	var kept []sessionMessage
	keptBytes := 0
	dropped := false
	err := records(f, 0, end, o, func(m sessionMessage) bool {
		kept = append(kept, m)
		keptBytes += len(m.Content)
		for len(kept) > o.maxMsgs || (len(kept) > 1 && keptBytes-len(kept[0].Content) >= o.budget) {
			keptBytes -= len(kept[0].Content)
			kept, dropped = kept[1:], true
		}
		return true
	})
	used := 0
	first := len(kept)
	for i := len(kept) - 1; i >= 0 && used < o.budget; i-- {
		kept[i].Content, out.Truncated = fitBudget(kept[i].Content, o.budget-used, out.Truncated)
		used += len(kept[i].Content)
		first = i
	}
	out.Messages = append(out.Messages, kept[first:]...)
	out.HasMore = dropped || first > 0
	out.ResumeCursor = end
	if len(out.Messages) > 0 {
		out.ResumeCursor = out.Messages[0].start
	}
	return finishPage(out), err
}

func finishPage(out readSessionOut) readSessionOut {
	out.MessageCount = len(out.Messages)
	if out.HasMore {
		c := out.ResumeCursor
		out.NextCursor = &c
	}
	return out
}

// fitBudget cuts s at a UTF-8 boundary to at most room bytes.
func fitBudget(s string, room int, truncated bool) (string, bool) {
	if len(s) <= room {
		return s, truncated
	}
	return cutUTF8(s, room), true
}

func cutUTF8(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// parseMessage turns one JSONL record into a message, if it is one.
func parseMessage(line []byte, o pageOpts) (sessionMessage, bool) {
	var l codexsessions.Line
	if json.Unmarshal(line, &l) != nil || l.Type != "response_item" {
		return sessionMessage{}, false
	}
	var pl struct {
		Type    string          `json:"type"`
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
		Name    string          `json:"name"`
		Output  json.RawMessage `json:"output"`
	}
	if json.Unmarshal(l.Payload, &pl) != nil {
		return sessionMessage{}, false
	}
	m := sessionMessage{TS: l.Timestamp}
	switch pl.Type {
	case "message":
		m.Role, m.Content = pl.Role, codexsessions.ContentText(pl.Content)
	case "function_call":
		m.Role, m.Content = "assistant", "[Tool: "+pl.Name+"]"
	case "function_call_output":
		if o.noTools || o.tool == 0 {
			return sessionMessage{}, false
		}
		m.Role, m.Content = "tool", toolOutput(pl.Output, o.tool)
	default:
		return sessionMessage{}, false
	}
	return m, strings.TrimSpace(m.Content) != ""
}

func toolOutput(raw json.RawMessage, cap int) string {
	text := codexsessions.ContentText(raw)
	if text == "" {
		var obj struct {
			Output string `json:"output"`
		}
		if json.Unmarshal(raw, &obj) == nil {
			text = obj.Output
		}
	}
	if len(text) <= cap {
		return text
	}
	if cap <= len(toolOutputCut) {
		return cutUTF8(text, cap)
	}
	return cutUTF8(text, cap-len(toolOutputCut)) + toolOutputCut
}

func sessionText(o readSessionOut) string {
	var b strings.Builder
	cur := "none"
	if o.Cursor != nil {
		cur = fmt.Sprint(*o.Cursor)
	}
	next := "none"
	if o.NextCursor != nil {
		next = fmt.Sprint(*o.NextCursor)
	}
	fmt.Fprintf(&b, "# Codex Session\n\nSession: %s\nTitle: %s\nCWD: %s\nSource: %s\nDirection: %s\nCursor: %s\nResume cursor: %d\nNext cursor: %s\nResume: %s\n",
		o.Session.SessionID, o.Session.Title, o.Session.ProjectDir, o.Session.SourcePath, o.Direction, cur, o.ResumeCursor, next, o.Session.ResumeCommand)
	if o.Truncated {
		b.WriteString("Some content was truncated to fit max_total_bytes.\n")
	}
	b.WriteString("\n## Transcript\n")
	for _, m := range o.Messages {
		ts := m.TS
		if t, err := time.Parse(time.RFC3339Nano, m.TS); err == nil {
			ts = t.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(&b, "\n### %s %s\n\n%s\n", m.Role, ts, m.Content)
	}
	return b.String()
}
