package workspace

import (
	"errors"
	"fmt"
	"io/fs"
)

// Rule names are stable strings: clients, tests and SECURITY.md refer to them.
const (
	RuleEscape              = "escape"
	RuleSymlinkEscape       = "symlink-escape"
	RuleBlocked             = "blocked"
	RuleTooLarge            = "too-large"
	RuleBinary              = "binary"
	RuleNotFile             = "not-file"
	RuleNotDir              = "not-dir"
	RuleNotFound            = "not-found"
	RuleWriteThroughSymlink = "write-through-symlink"
	RuleInvalidPath         = "invalid-path"
	RuleOutsideRoots        = "outside-allowed-roots"
	RuleHardLink            = "hard-link"
)

// Refusal is the error every guard decision returns. Its message keeps the
// reference implementation's wording where clients match on it, and always
// says which rule refused which path.
type Refusal struct {
	Rule   string
	Path   string
	Detail string
}

func (r *Refusal) Error() string {
	var msg string
	switch r.Rule {
	case RuleEscape:
		msg = "Path escapes workspace root: " + r.Path
	case RuleSymlinkEscape:
		msg = "Path resolves outside workspace root through a symlink: " + r.Path
	case RuleBlocked:
		msg = "Path is blocked by safety rules: " + r.Path
	case RuleTooLarge:
		msg = "File is too large: " + r.Path
	case RuleBinary:
		msg = "Refusing to read binary file: " + r.Path
	case RuleNotFile:
		msg = "Not a file: " + r.Path
	case RuleNotDir:
		msg = "Not a directory: " + r.Path
	case RuleNotFound:
		msg = "No such file or directory: " + r.Path
	case RuleWriteThroughSymlink:
		msg = "Refusing to write through a symlink: " + r.Path
	case RuleOutsideRoots:
		msg = "Workspace root is outside allowed roots: " + r.Path
	case RuleHardLink:
		msg = "Refusing a file with more than one hard link: " + r.Path
	default:
		msg = "Invalid path: " + r.Path
	}
	if r.Detail != "" {
		msg += " (" + r.Detail + ")"
	}
	return msg + " [rule: " + r.Rule + "]"
}

// Is lets errors.Is(err, fs.ErrNotExist) see a not-found refusal.
func (r *Refusal) Is(target error) bool {
	return r.Rule == RuleNotFound && target == fs.ErrNotExist
}

func refuse(rule, path, format string, args ...any) *Refusal {
	detail := format
	if len(args) > 0 {
		detail = fmt.Sprintf(format, args...)
	}
	return &Refusal{Rule: rule, Path: path, Detail: detail}
}

// RuleOf returns the rule of a refusal anywhere in err's chain, or "".
func RuleOf(err error) string {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Rule
	}
	return ""
}
