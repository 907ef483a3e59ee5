// Package bashpolicy decides whether a command may run in bash safe mode.
//
// The command is parsed with mvdan.cc/sh/v3/syntax and judged on its syntax
// tree, never on regular expressions over the raw string. An accepted
// command is returned as argv lists that the caller executes directly,
// without a shell, so nothing the parser did not see can be interpreted
// later. Every word that could name a file is resolved through the
// workspace guard (PathChecker), wherever it hides: a bare argument, the
// value after "=" in --flag=x, the path after ":" in git's REV:path, the
// tail of an attached short option such as -I../x, or a glob match.
package bashpolicy

import (
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"codexpro.dev/pkg/gitx"
)

// maxCommandBytes bounds the input so parsing and globbing stay cheap.
const maxCommandBytes = 16 << 10

// maxFields bounds the arguments one command may expand to.
const maxFields = 1000

// PathChecker is the workspace guard. Resolve resolves a workspace-relative
// (or absolute) path and returns an error when it escapes the workspace,
// passes through a symlink that leaves it, or is blocked; it must not
// require the path to exist. ReadDir lists a directory through the same
// guard (glob expansion uses it) and Blocked judges one entry's path.
type PathChecker interface {
	Resolve(input string) (string, error)
	ReadDir(input string) ([]fs.DirEntry, string, error)
	Blocked(rel string) (string, bool)
}

// Policy holds what Decide needs to know about the workspace.
type Policy struct {
	Paths PathChecker
	// Root is the real absolute workspace root: globs are expanded and
	// node_modules/.bin is looked up below it.
	Root string
	// Blocked are the workspace's blocked globs. Listings must not show
	// them either: find prunes them, ls ignores them, git gets them as
	// :(exclude) pathspecs to stay out of blocked trees (its output is
	// filtered by the caller, see Decision.Git).
	Blocked []string
}

// Decision is an accepted command: run Steps in order, each as an argv
// without a shell, and stop at the first that fails (the && semantics).
// Git[i] is non-nil for a git step: its stdout must pass gitx's per-file
// filter, as described, before any of it is returned.
type Decision struct {
	Steps [][]string
	Git   []*gitx.Output
}

// Decide parses command and returns the argv lists to run from cwd (a
// workspace-relative directory, "." for the root), or a *Refusal.
func (p Policy) Decide(command, cwd string) (Decision, error) {
	command = strings.TrimSpace(command)
	if command == "" {
		return Decision{}, &Refusal{What: `""`, Rule: "command is required"}
	}
	if len(command) > maxCommandBytes {
		return Decision{}, refuse(command[:64]+"...", "command is longer than %d bytes", maxCommandBytes)
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(command), "")
	if err != nil {
		return Decision{}, refuse(command, "not a valid shell command (%v)", err)
	}
	if len(f.Stmts) != 1 {
		return Decision{}, refuse(command, "one command per call: join steps with && instead of ';', '&' or newlines")
	}
	calls, err := chain(f.Stmts[0], command)
	if err != nil {
		return Decision{}, err
	}
	c := &checker{policy: p, cwd: cleanCwd(cwd)}
	var d Decision
	for _, call := range calls {
		c.git = nil
		argv, err := c.decideCall(call)
		if err != nil {
			return Decision{}, err
		}
		d.Steps = append(d.Steps, argv)
		d.Git = append(d.Git, c.git)
	}
	return d, nil
}

func cleanCwd(cwd string) string {
	if cwd == "" {
		return "."
	}
	return path.Clean(filepath.ToSlash(cwd))
}

// chain flattens a statement into the simple commands of an && chain and
// refuses every other construct.
func chain(s *syntax.Stmt, src string) ([]*syntax.CallExpr, error) {
	what := nodeText(src, s)
	switch {
	case s.Background || s.Disown:
		return nil, refuse(what, "background jobs (&) are not allowed")
	case s.Coprocess:
		return nil, refuse(what, "coprocesses are not allowed")
	case s.Negated:
		return nil, refuse(what, "negation (!) is not allowed")
	case len(s.Redirs) > 0:
		return nil, refuse(what, "redirections (<, >, >>, 2>&1, here-documents) are not allowed: output is captured for you")
	}
	switch cmd := s.Cmd.(type) {
	case *syntax.CallExpr:
		if len(cmd.Assigns) > 0 {
			return nil, refuse(what, "variable assignments (NAME=value) are not allowed")
		}
		if len(cmd.Args) == 0 {
			return nil, refuse(what, "empty command")
		}
		return []*syntax.CallExpr{cmd}, nil
	case *syntax.BinaryCmd:
		if cmd.Op != syntax.AndStmt {
			return nil, refuse(what, "only && may join commands (%s is not allowed)", cmd.Op)
		}
		left, err := chain(cmd.X, src)
		if err != nil {
			return nil, err
		}
		right, err := chain(cmd.Y, src)
		if err != nil {
			return nil, err
		}
		return append(left, right...), nil
	case nil:
		return nil, refuse(what, "empty command")
	default:
		return nil, refuse(what, "%s is not allowed: only simple commands joined by &&", constructName(cmd))
	}
}

func constructName(c syntax.Command) string {
	switch c.(type) {
	case *syntax.Subshell:
		return "a subshell ( ... )"
	case *syntax.Block:
		return "a block { ... }"
	case *syntax.FuncDecl:
		return "a function definition"
	case *syntax.IfClause, *syntax.WhileClause, *syntax.ForClause, *syntax.CaseClause:
		return "control flow (if/while/for/case)"
	case *syntax.DeclClause:
		return "a declaration (export/declare/local/readonly)"
	case *syntax.ArithmCmd, *syntax.LetClause:
		return "arithmetic"
	case *syntax.TestClause, *syntax.TestDecl:
		return "a test expression [[ ... ]]"
	case *syntax.TimeClause:
		return "time"
	case *syntax.CoprocClause:
		return "coproc"
	default:
		return "this construct"
	}
}

// nodeText returns the source text of n for refusal messages.
func nodeText(src string, n syntax.Node) string {
	start, end := int(n.Pos().Offset()), int(n.End().Offset())
	if start < 0 || end > len(src) || start >= end {
		return src
	}
	return src[start:end]
}
