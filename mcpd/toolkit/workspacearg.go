package toolkit

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

// Resolve looks up the workspace the argument names (else the session's,
// else the default). Define calls it before the handler runs; call it
// yourself only when calling a handler directly.
func (a *WorkspaceArg) Resolve(ctx context.Context, e *Env) error {
	w, err := e.Workspace(ctx, a.WorkspaceID)
	if err != nil {
		return err
	}
	a.ws = w
	return nil
}

// resolveWorkspace fills in the workspace of an input that embeds
// WorkspaceArg; other inputs are left as they are.
func resolveWorkspace(ctx context.Context, e *Env, in any) error {
	if wa, ok := in.(interface{ workspaceArg() *WorkspaceArg }); ok {
		return wa.workspaceArg().Resolve(ctx, e)
	}
	return nil
}
