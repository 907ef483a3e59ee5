package tools

import (
	"context"

	"codexpro.dev/pkg/workspace"
)

// WorkspaceArg is the workspace_id argument of every tool that works in a
// workspace. Embed it first in the tool's input type: the argument then has
// one name and one description everywhere, and Define resolves it before the
// handler runs, so a handler starts from in.Workspace() instead of repeating
// the lookup and its error.
type WorkspaceArg struct {
	WorkspaceID string `json:"workspace_id,omitempty" jsonschema:"Workspace id from open_workspace; default: the session's workspace"`

	ws *workspace.Workspace // set by Define; unexported, so never bound or described
}

// Workspace is the workspace the call runs in, resolved by Define.
func (a *WorkspaceArg) Workspace() *workspace.Workspace { return a.ws }

// workspaceArg lets Define find the embedded WorkspaceArg of an input.
func (a *WorkspaceArg) workspaceArg() *WorkspaceArg { return a }

// resolveWorkspace fills in the workspace of an input that embeds
// WorkspaceArg; other inputs are left as they are.
func resolveWorkspace(ctx context.Context, e *Env, in any) error {
	wa, ok := in.(interface{ workspaceArg() *WorkspaceArg })
	if !ok {
		return nil
	}
	a := wa.workspaceArg()
	w, err := e.Workspace(ctx, a.WorkspaceID)
	if err != nil {
		return err
	}
	a.ws = w
	return nil
}
