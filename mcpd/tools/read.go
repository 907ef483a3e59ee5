package tools

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"unsafe"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/redact"
)

type readIn struct {
	toolkit.WorkspaceArg
	Path      string `json:"path" jsonschema:"File path relative to the workspace root"`
	StartLine int    `json:"start_line,omitempty" jsonschema:"First line to return (1-based); default 1"`
	EndLine   int    `json:"end_line,omitempty" jsonschema:"Last line to return (inclusive); default: end of file"`
	MaxBytes  int64  `json:"max_bytes,omitempty" jsonschema:"Byte limit for the returned text (1000 to the server's CODEXPRO_MAX_READ_BYTES)"`
}

type readOut struct {
	WorkspaceID string `json:"workspace_id"`
	Root        string `json:"root"`
	Path        string `json:"path"`
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
// The whole-file judgements of redaction are remembered by the file's
// SHA-256 (which read computes anyway) for as long as the tool lives.
func ReadTool() toolkit.Tool {
	judged := redact.NewJudgements()
	return toolkit.Define(toolkit.Spec{
		Name: "read", Title: "Read file", Kind: toolkit.ReadOnly, Sets: toolkit.AllSets,
		Description: "Read a text file in the workspace, whole or by line range. Lines are numbered; " +
			"secrets are redacted; blocked paths (.env, keys, .git, node_modules, …) and binary files are refused.",
	}, func(ctx context.Context, e *toolkit.Env, in readIn) (readOut, string, error) {
		return readFile(ctx, e, in, judged)
	})
}

func readFile(ctx context.Context, e *toolkit.Env, in readIn, judged *redact.Judgements) (readOut, string, error) {
	w := in.Workspace()
	limit, err := readLimit(in.MaxBytes, e.Cfg.MaxReadBytes)
	if err != nil {
		return readOut{}, "", err
	}
	if in.StartLine < 0 || in.EndLine < 0 {
		return readOut{}, "", toolkit.UserErrorf("start_line and end_line must be >= 1.")
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
	if err := selectLines(&out, data, in.StartLine, in.EndLine); err != nil {
		return readOut{}, "", err
	}
	// The whole file is judged before a range is cut: a range that starts
	// inside a key block, or on the line after "api_key:", shows the lines
	// as the whole file's redaction left them. The unit keeps no reference
	// to data.
	unit := judged.Judge(unsafe.String(unsafe.SliceData(data), len(data)), &sum)
	numbered := numberedSize(data, out.StartLine, out.EndLine, out.TotalLines, unit)
	if int64(numbered) > limit {
		return readOut{}, "", toolkit.UserErrorf("Selected line range is too large (%d bytes with line numbers). Limit: %d bytes (max_bytes, CODEXPRO_MAX_READ_BYTES). Ask for fewer lines.", numbered, limit)
	}
	return out, readText(&out, data, unit, numbered), nil
}

// readText is the text content, a header and the numbered lines (numbered
// bytes of them) in a code fence. The lines are sent once, here and not in
// the structured content too (a file sent twice costs twice the tokens),
// built in one buffer of the exact size because they are most of every
// response.
func readText(out *readOut, data []byte, unit redact.Unit, numbered int) string {
	const fixed = len("# Read File\n\nPath: \nLines: - of \nBytes: \nSHA-256: \n\n```\n") + 4*20 + len("\n```")
	buf := make([]byte, 0, fixed+len(out.Path)+len(out.SHA256)+numbered)
	buf = append(append(buf, "# Read File\n\nPath: "...), out.Path...)
	buf = strconv.AppendInt(append(buf, "\nLines: "...), int64(out.StartLine), 10)
	buf = strconv.AppendInt(append(buf, '-'), int64(out.EndLine), 10)
	buf = strconv.AppendInt(append(buf, " of "...), int64(out.TotalLines), 10)
	buf = strconv.AppendInt(append(buf, "\nBytes: "...), int64(out.Bytes), 10)
	buf = append(append(append(buf, "\nSHA-256: "...), out.SHA256...), "\n\n```\n"...)
	buf = appendNumbered(buf, data, out.StartLine, out.EndLine, unit)
	buf = append(buf, "\n```"...)
	return unsafe.String(unsafe.SliceData(buf), len(buf)) // buf is not written again
}

// numberedSize is the length appendNumbered will produce, computed without
// building it, so a range too large for the limit is refused before the
// buffer is allocated (a file of empty lines grows tenfold when numbered).
// A whole file with nothing redacted is counted without a walk over its
// lines: each loses its line break and a CR before it.
func numberedSize(data []byte, start, end, total int, unit redact.Unit) int {
	width := len(strconv.Itoa(max(end, 1)))
	if start == 1 && end == total && unit.Clean() {
		text := len(data) - bytes.Count(data, []byte{'\n'}) - bytes.Count(data, []byte("\r\n"))
		return text + total*(width+len(" | ")) + total - 1
	}
	size := 0
	forLines(data, end, func(n int, line []byte) {
		if n < start {
			return
		}
		if red, ok := unit.Line(n); ok {
			size += len(red)
		} else {
			size += len(line)
		}
		size += width + len(" | ")
		if n > start {
			size++ // the line break before it
		}
	})
	return size
}

// forLines calls fn with lines 1..end of data (1-based), without their
// line break or a CR before it.
func forLines(data []byte, end int, fn func(n int, line []byte)) {
	for n := 1; n <= end && len(data) > 0; n++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
			if i > 0 && line[i-1] == '\r' {
				line = line[:i-1]
			}
		} else {
			data = nil
		}
		fn(n, line)
	}
}

func readLimit(asked, max int64) (int64, error) {
	if asked == 0 {
		return max, nil
	}
	if asked < 1000 {
		return 0, toolkit.UserErrorf("max_bytes must be at least 1000, got %d.", asked)
	}
	return min(asked, max), nil
}

// selectLines picks the requested range. A final newline ends the last
// line rather than starting an empty one.
func selectLines(out *readOut, data []byte, start, end int) error {
	total := countLines(data)
	out.TotalLines = total
	if start == 0 {
		start = 1
	}
	if end == 0 || end > total {
		end = total
	}
	if end < start && total > 0 {
		return toolkit.UserErrorf("end_line (%d) must be >= start_line (%d).", end, start)
	}
	out.StartLine, out.EndLine = start, end
	if total == 0 {
		out.StartLine, out.EndLine = 0, 0
	}
	out.Truncated = start > 1 || end < total
	return nil
}

// countLines counts lines as appendNumbered sees them.
func countLines(data []byte) int {
	n := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// appendNumbered appends lines start..end of data (1-based) as
// "<n> | <line>", numbers right-aligned to the width of end, without a
// final newline; CR before LF is dropped. A line the unit (data judged
// whole) redacted is appended as redacted.
func appendNumbered(dst, data []byte, start, end int, unit redact.Unit) []byte {
	width := len(strconv.Itoa(max(end, 1)))
	forLines(data, end, func(n int, line []byte) {
		if n < start {
			return
		}
		if n > start {
			dst = append(dst, '\n')
		}
		for w := digits(n); w < width; w++ {
			dst = append(dst, ' ')
		}
		dst = append(strconv.AppendInt(dst, int64(n), 10), " | "...)
		if red, ok := unit.Line(n); ok {
			dst = append(dst, red...)
		} else {
			dst = append(dst, line...)
		}
	})
	return dst
}

func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
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
