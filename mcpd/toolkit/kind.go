package toolkit

import (
	"strconv"

	"github.com/mark3labs/mcp-go/mcp"
)

// Kind is what a tool may do; it decides all four MCP annotations, so no tool
// can forget one (mcp-go's defaults claim "destructive, open world").
type Kind int

const (
	ReadOnly     Kind = iota // reads the workspace, same answer for the same state
	SessionRead              // reads, but changes the session's selected workspace
	Poll                     // reads, but waits on something that changes (long-poll)
	LocalWrite               // changes files in the workspace
	Shell                    // runs commands: anything can happen, network included
	HandoffWrite             // writes only plan/context files under the context dir
)

func (k Kind) annotation(title string) mcp.ToolAnnotation {
	b := func(v bool) *bool { return &v }
	a := mcp.ToolAnnotation{Title: title}
	switch k {
	case ReadOnly:
		a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint, a.OpenWorldHint = b(true), b(false), b(true), b(false)
	case SessionRead, Poll:
		a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint, a.OpenWorldHint = b(true), b(false), b(false), b(false)
	case LocalWrite:
		a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint, a.OpenWorldHint = b(false), b(true), b(false), b(false)
	case Shell:
		a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint, a.OpenWorldHint = b(false), b(true), b(false), b(true)
	case HandoffWrite:
		a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint, a.OpenWorldHint = b(false), b(false), b(false), b(false)
	}
	return a
}

// ReadOnlyKind reports whether tools of this kind never change anything.
func (k Kind) ReadOnlyKind() bool { return k == ReadOnly || k == SessionRead || k == Poll }

func (k Kind) String() string {
	switch k {
	case ReadOnly:
		return "ReadOnly"
	case SessionRead:
		return "SessionRead"
	case Poll:
		return "Poll"
	case LocalWrite:
		return "LocalWrite"
	case Shell:
		return "Shell"
	case HandoffWrite:
		return "HandoffWrite"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}
