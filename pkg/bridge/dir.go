package bridge

import (
	"errors"
	"fmt"
	"io/fs"
)

// Writer is the write half of a guard: mcpd passes its
// *workspace.Workspace, handoff its own os.Root-backed writer. rel is a
// workspace-relative slash path; the returned string is the clean relative
// path actually written.
type Writer interface {
	WriteFile(rel string, data []byte, perm fs.FileMode) (string, error)
}

// Reader is the read half of a guard. A missing file must be reported with
// an error that matches errors.Is(err, fs.ErrNotExist).
type Reader interface {
	ReadFile(rel string, max int64) ([]byte, string, error)
}

// ReadWriter is both halves, from a guard that never follows a symlink in
// any component (RefusesLinks): a context directory linked to src/ must not
// turn plans and reports into source writes (see ContextDirLinks).
type ReadWriter interface {
	Reader
	Writer
	RefusesLinks()
}

// FileMode is the mode of every file written into the context directory.
const FileMode fs.FileMode = 0o600

// Dir is a context directory behind a guard.
type Dir struct {
	Context     string // validated, e.g. ".ai-bridge"
	FS          ReadWriter
	MaxLogBytes int // 0 means DefaultMaxLogBytes
}

// Rel is the workspace-relative path of a file in the context directory.
func (d Dir) Rel(name string) string { return Rel(d.Context, name) }

// Write replaces a context file with data (mode 0600).
func (d Dir) Write(name string, data []byte) error {
	if _, err := d.FS.WriteFile(d.Rel(name), data, FileMode); err != nil {
		return fmt.Errorf("write %s: %w", d.Rel(name), err)
	}
	return nil
}

// Read reads a context file of at most max bytes.
func (d Dir) Read(name string, max int64) ([]byte, error) {
	data, _, err := d.FS.ReadFile(d.Rel(name), max)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.Rel(name), err)
	}
	return data, nil
}

// AppendEvent appends one event to a JSONL log in the context directory,
// keeping the log under MaxLogBytes by dropping the oldest lines.
func (d Dir) AppendEvent(name string, ev Event) error {
	line, err := ev.Line()
	if err != nil {
		return err
	}
	limit := d.MaxLogBytes
	if limit <= 0 {
		limit = DefaultMaxLogBytes
	}
	old, err := d.Read(name, int64(limit))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return d.Write(name, AppendLine(old, line, limit))
}

// WriteRunState replaces handoff-run-state.json.
func (d Dir) WriteRunState(r RunState) error {
	r.Version = RunStateVersion
	return d.Write(RunStateFile, r.Marshal())
}

// ReadRunState reads and parses handoff-run-state.json.
func (d Dir) ReadRunState() (RunState, error) {
	data, err := d.Read(RunStateFile, 1<<20)
	if err != nil {
		return RunState{}, err
	}
	return ParseRunState(data)
}
