// Package codexsessions indexes the Codex CLI's session transcripts
// (~/.codex/sessions and archived_sessions, JSON lines) for the codex session
// tools: who started which session, in which project, when, and under what
// title.
//
// It guarantees: only sessions whose project folder lies inside an allowed
// root are listed; a listing reads at most the first and last 64 KiB of each
// file and never more than 3000 files six levels deep, and shows no
// transcript text beyond the first request's title; subagent sessions and
// files that are not sessions are skipped; an unchanged file (same size,
// mtime and inode) is never parsed again. It does not page through a
// transcript: the read tool does that, with Line and ContentText.
package codexsessions

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"codexpro.dev/mcpd/internal/filestamp"
)

const (
	sessionMaxFiles  = 3000
	sessionMaxDepth  = 6
	sessionHeadBytes = 64 << 10
	sessionHeadLines = 16
	sessionTailLines = 48
	sessionTitleMax  = 96
)

// Meta is what listing shows of one Codex session: never transcript
// text beyond the first request's title.
type Meta struct {
	ProviderID    string `json:"provider_id"`
	SessionID     string `json:"session_id"`
	Title         string `json:"title,omitempty"`
	ProjectDir    string `json:"project_dir,omitempty"`
	CreatedAt     string `json:"created_at,omitempty"`
	LastActiveAt  string `json:"last_active_at,omitempty"`
	SourcePath    string `json:"source_path"`
	ResumeCommand string `json:"resume_command"`

	sortKey int64
}

// Index caches parsed metadata per file by (size, mtime, inode), so
// repeated listings read only files that changed. The zero value is ready.
type Index struct {
	mu    sync.Mutex
	files map[string]sessionCached
}

type sessionCached struct {
	stamp filestamp.Stamp
	meta  *Meta // nil: not a session we list (subagent, unparsable)
}

// Roots are the real paths of the folders Codex keeps sessions in.
func Roots(codexDir string) []string {
	var out []string
	for _, d := range []string{"sessions", "archived_sessions"} {
		if real, err := filepath.EvalSymlinks(filepath.Join(codexDir, d)); err == nil {
			out = append(out, real)
		}
	}
	return out
}

// Scan lists every session file under the roots (depth ≤ 6, ≤ 3000 files)
// and returns the metadata of those whose project lies in an allowed root.
func (x *Index) Scan(roots, allowed []string) []Meta {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.files == nil {
		x.files = map[string]sessionCached{}
	}
	seen := map[string]bool{}
	var out []Meta
	for _, root := range roots {
		for _, p := range jsonlFiles(root, sessionMaxFiles-len(seen)) {
			seen[p] = true
			fi, err := os.Stat(p)
			if err != nil {
				continue
			}
			c, ok := x.files[p]
			if !ok || c.stamp != filestamp.Of(fi) {
				c = sessionCached{stamp: filestamp.Of(fi), meta: parseSessionMeta(p)}
				x.files[p] = c
			}
			if c.meta != nil && insideAllowed(c.meta.ProjectDir, allowed) {
				out = append(out, *c.meta)
			}
		}
	}
	for p := range x.files {
		if !seen[p] {
			delete(x.files, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].sortKey > out[j].sortKey })
	return out
}

func jsonlFiles(root string, max int) []string {
	var out []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			if rel != "." && strings.Count(rel, string(filepath.Separator))+1 > sessionMaxDepth {
				return filepath.SkipDir
			}
			return nil
		}
		if len(out) >= max {
			return filepath.SkipAll
		}
		if d.Type().IsRegular() && strings.HasSuffix(d.Name(), ".jsonl") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// insideAllowed scopes listing to the user's allowed roots: a session of an
// unrelated project is not shown.
func insideAllowed(dir string, allowed []string) bool {
	if dir == "" || !filepath.IsAbs(dir) {
		return false
	}
	cands := []string{filepath.Clean(dir)}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		cands = append(cands, real)
	}
	for _, c := range cands {
		for _, root := range allowed {
			if c == root || strings.HasPrefix(c, root+string(filepath.Separator)) {
				return true
			}
		}
	}
	return false
}

// Line is one record of a session file.
type Line struct {
	Timestamp string          `json:"timestamp"`
	Type      string          `json:"type"`
	Payload   json.RawMessage `json:"payload"`
}

var uuidRe = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

// parseSessionMeta reads the first and last 64 KiB of a session file.
func parseSessionMeta(p string) *Meta {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, sessionHeadBytes)
	n, _ := io.ReadFull(f, head)
	m := &Meta{ProviderID: "codex", SourcePath: p}
	var created, last time.Time
	title := ""
	lines := bytes.Split(head[:n], []byte("\n"))
	if n == sessionHeadBytes && len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last one may be cut
	}
	for _, raw := range lines[:min(len(lines), sessionHeadLines)] {
		var l Line
		if json.Unmarshal(raw, &l) != nil {
			continue
		}
		if ts, err := time.Parse(time.RFC3339Nano, l.Timestamp); err == nil && created.IsZero() {
			created = ts
		}
		switch l.Type {
		case "session_meta":
			if !applySessionMeta(m, l.Payload) {
				return nil
			}
		case "response_item":
			if title == "" {
				title = titleCandidate(l.Payload)
			}
		}
	}
	last = lastTimestamp(f)
	finishMeta(m, p, title, created, last)
	return m
}

// applySessionMeta fills id and cwd; it reports false for a subagent's
// session, which is part of another session, not listed on its own.
func applySessionMeta(m *Meta, payload json.RawMessage) bool {
	var raw map[string]json.RawMessage
	if json.Unmarshal(payload, &raw) != nil {
		return true
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			var s string
			if json.Unmarshal(raw[k], &s) == nil && s != "" {
				return s
			}
		}
		return ""
	}
	var src map[string]json.RawMessage
	if json.Unmarshal(raw["source"], &src) == nil {
		if _, sub := src["subagent"]; sub {
			return false
		}
	}
	m.SessionID = str("id", "session_id", "sessionId")
	m.ProjectDir = str("cwd", "project_dir", "projectDir")
	return true
}

// titleCandidate is the first real user request: not the AGENTS.md or
// environment preamble Codex injects.
func titleCandidate(payload json.RawMessage) string {
	var pl struct {
		Type    string          `json:"type"`
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if json.Unmarshal(payload, &pl) != nil || pl.Type != "message" || pl.Role != "user" {
		return ""
	}
	text := strings.TrimSpace(ContentText(pl.Content))
	switch {
	case strings.HasPrefix(text, "# AGENTS.md"), strings.HasPrefix(text, "<environment_context>"):
		return ""
	case strings.HasPrefix(text, "# Context from my IDE setup:"):
		_, after, ok := strings.Cut(text, "## My request for Codex:")
		if !ok {
			return ""
		}
		text = after
	}
	return strings.Join(strings.Fields(text), " ")
}

// lastTimestamp is the last parseable timestamp in the final 64 KiB.
func lastTimestamp(f *os.File) time.Time {
	fi, err := f.Stat()
	if err != nil {
		return time.Time{}
	}
	off := max(0, fi.Size()-sessionHeadBytes)
	buf := make([]byte, fi.Size()-off)
	if _, err := f.ReadAt(buf, off); err != nil && err != io.EOF {
		return time.Time{}
	}
	lines := bytes.Split(bytes.TrimRight(buf, "\n"), []byte("\n"))
	for i, seen := len(lines)-1, 0; i >= 0 && seen < sessionTailLines; i, seen = i-1, seen+1 {
		var l Line
		if json.Unmarshal(lines[i], &l) == nil {
			if ts, err := time.Parse(time.RFC3339Nano, l.Timestamp); err == nil {
				return ts
			}
		}
	}
	return time.Time{}
}

func finishMeta(m *Meta, p, title string, created, last time.Time) {
	if m.SessionID == "" {
		m.SessionID = uuidRe.FindString(filepath.Base(p))
	}
	if r := []rune(title); len(r) > sessionTitleMax {
		title = string(r[:sessionTitleMax-1]) + "…"
	}
	if title == "" && m.ProjectDir != "" {
		title = filepath.Base(m.ProjectDir)
	}
	m.Title = title
	if !created.IsZero() {
		m.CreatedAt, m.sortKey = created.UTC().Format(time.RFC3339), created.UnixMilli()
	}
	if !last.IsZero() {
		m.LastActiveAt, m.sortKey = last.UTC().Format(time.RFC3339), last.UnixMilli()
	}
	m.ResumeCommand = "codex resume " + m.SessionID
}

// ContentText flattens a message's content: a string, a list of strings or
// {text} objects, or one {text} object.
func ContentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	type part struct {
		Text string `json:"text"`
	}
	var one part
	if json.Unmarshal(raw, &one) == nil && one.Text != "" {
		return one.Text
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return ""
	}
	var parts []string
	for _, it := range list {
		if json.Unmarshal(it, &s) == nil {
			parts = append(parts, s)
		} else if json.Unmarshal(it, &one) == nil && one.Text != "" {
			parts = append(parts, one.Text)
		}
	}
	return strings.Join(parts, "\n")
}
