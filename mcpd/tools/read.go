package tools

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

type readIn struct {
	WorkspaceID string `json:"workspace_id,omitempty" jsonschema:"Workspace id from open_workspace; default: the session's workspace"`
	Path        string `json:"path" jsonschema:"File path relative to the workspace root"`
	StartLine   int    `json:"start_line,omitempty" jsonschema:"First line to return (1-based); default 1"`
	EndLine     int    `json:"end_line,omitempty" jsonschema:"Last line to return (inclusive); default: end of file"`
	MaxBytes    int64  `json:"max_bytes,omitempty" jsonschema:"Byte limit for the returned text (1000 to the server's CODEXPRO_MAX_READ_BYTES)"`
}

type readOut struct {
	WorkspaceID string `json:"workspace_id"`
	Root        string `json:"root"`
	Path        string `json:"path"`
	numbered    []byte // the numbered lines; returned once, in the text content: a file sent twice costs twice the tokens
	StartLine   int    `json:"startLine"`
	EndLine     int    `json:"endLine"`
	TotalLines  int    `json:"totalLines"`
	Bytes       int    `json:"bytes"`
	SHA256      string `json:"sha256"`
	Truncated   bool   `json:"truncated"`
	LineEnding  string `json:"line_ending"`
}

// scanFactor is how much larger than the read limit a file may be when the
// caller asks for a line range: only the selected lines count toward the limit.
const scanFactor = 4

// ReadTool returns file text with line numbers. The sha256 is of the exact
// bytes on disk, so edit's expected_sha256 can refuse a stale edit.
func ReadTool() Tool {
	return Define(Spec{
		Name: "read", Title: "Read file", Kind: ReadOnly, Sets: AllSets,
		Description: "Read a text file in the workspace, whole or by line range. Lines are numbered; " +
			"secrets are redacted; blocked paths (.env, keys, .git, node_modules, …) and binary files are refused.",
	}, readFile)
}

func readFile(ctx context.Context, e *Env, in readIn) (readOut, string, error) {
	w, err := e.Workspace(ctx, in.WorkspaceID)
	if err != nil {
		return readOut{}, "", err
	}
	limit, err := readLimit(in.MaxBytes, e.Cfg.MaxReadBytes)
	if err != nil {
		return readOut{}, "", err
	}
	if in.StartLine < 0 || in.EndLine < 0 {
		return readOut{}, "", userError("start_line and end_line must be >= 1.")
	}
	ranged := in.StartLine > 0 || in.EndLine > 0
	fileLimit := limit
	if ranged {
		fileLimit = min(2_000_000, e.Cfg.MaxReadBytes*scanFactor)
	}
	data, rel, err := w.ReadFile(in.Path, fileLimit)
	if err != nil {
		return readOut{}, "", err
	}
	out := readOut{WorkspaceID: w.ID, Root: w.Root, Path: rel, Bytes: len(data), LineEnding: lineEnding(data)}
	sum := sha256.Sum256(data)
	out.SHA256 = hex.EncodeToString(sum[:])
	if err := selectLines(&out, data, in.StartLine, in.EndLine, limit); err != nil {
		return readOut{}, "", err
	}
	return out, readText(&out), nil
}

// readText is the text content: a header and the numbered lines in a code
// fence, built in one buffer because the lines are most of every response.
func readText(out *readOut) string {
	header := fmt.Sprintf("# Read File\n\nPath: %s\nLines: %d-%d of %d\nBytes: %d\nSHA-256: %s\n\n```\n",
		out.Path, out.StartLine, out.EndLine, out.TotalLines, out.Bytes, out.SHA256)
	var b strings.Builder
	b.Grow(len(header) + len(out.numbered) + 4)
	b.WriteString(header)
	b.Write(out.numbered)
	b.WriteString("\n```")
	return b.String()
}

func readLimit(asked, max int64) (int64, error) {
	if asked == 0 {
		return max, nil
	}
	if asked < 1000 {
		return 0, userError("max_bytes must be at least 1000, got %d.", asked)
	}
	return min(asked, max), nil
}

// selectLines numbers the requested range. A final newline ends the last
// line rather than starting an empty one; CR before LF is dropped.
func selectLines(out *readOut, data []byte, start, end int, limit int64) error {
	lines := lineOffsets(data)
	total := len(lines)
	out.TotalLines = total
	if start == 0 {
		start = 1
	}
	if end == 0 || end > total {
		end = total
	}
	if end < start && total > 0 {
		return userError("end_line (%d) must be >= start_line (%d).", end, start)
	}
	buf := formatNumbered(lines, start, min(end, total))
	if int64(len(buf)) > limit {
		return userError("Selected line range is too large (%d bytes). Limit: %d bytes. Ask for fewer lines.", len(buf), limit)
	}
	out.numbered = buf
	out.StartLine, out.EndLine = start, end
	if total == 0 {
		out.StartLine, out.EndLine = 0, 0
	}
	out.Truncated = start > 1 || end < total
	return nil
}

// formatNumbered renders lines[start-1:end] as "<n> | <line>", numbers
// right-aligned to the width of end, without a final newline.
func formatNumbered(lines [][]byte, start, end int) []byte {
	width := len(strconv.Itoa(max(end, 1)))
	size := 0
	for i := start; i <= end; i++ {
		size += len(lines[i-1]) + width + 4
	}
	buf := make([]byte, 0, size)
	for i := start; i <= end; i++ {
		for range width - len(strconv.Itoa(i)) {
			buf = append(buf, ' ')
		}
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, " | "...)
		buf = append(buf, lines[i-1]...)
		buf = append(buf, '\n')
	}
	return bytes.TrimSuffix(buf, []byte{'\n'})
}

// lineOffsets splits data into lines without copying them.
func lineOffsets(data []byte) [][]byte {
	lines := make([][]byte, 0, bytes.Count(data, []byte{'\n'})+1)
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, data)
			break
		}
		lines = append(lines, bytes.TrimSuffix(data[:i], []byte{'\r'}))
		data = data[i+1:]
	}
	return lines
}

func lineEnding(data []byte) string {
	i := bytes.IndexByte(data, '\n')
	switch {
	case i < 0:
		return "none"
	case i > 0 && data[i-1] == '\r':
		return "crlf"
	}
	return "lf"
}
