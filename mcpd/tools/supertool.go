package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"codexpro.dev/mcpd/toolkit"
)

type superIn struct {
	Action string    `json:"action,omitempty" jsonschema:"Tool to run, e.g. read, search, show_changes; default list_actions"`
	Args   superArgs `json:"args,omitempty" jsonschema:"Arguments for that tool, as an object, e.g. {\"path\":\"README.md\"}"`
}

// superArgs is the wrapped tool's arguments. The schema says object (a map
// type), but a JSON string holding an object is decoded too: clients whose
// schema sanitizer turns an untyped property into a string (Codex CLI did)
// send it that way. Anything else is refused by name rather than dropped.
type superArgs map[string]any

func (a *superArgs) UnmarshalJSON(raw []byte) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		raw = bytes.TrimSpace([]byte(s))
		if len(raw) == 0 {
			*a = nil
			return nil
		}
	}
	if string(raw) == "null" {
		*a = nil
		return nil
	}
	var m map[string]any
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return fmt.Errorf("args must be a JSON object of the action's arguments (or a string holding one), "+
			"such as {\"path\":\"README.md\"}; got %s", jsonKind(raw))
	}
	*a = m
	return nil
}

// jsonKind names what a JSON value is, for an error message.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "malformed JSON text"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case '"':
		return "a string"
	}
	if json.Valid(raw) {
		return "a number"
	}
	return "text that is not JSON"
}

// superOut is open: the supertool returns whatever the wrapped tool returns.
type superOut map[string]any

// superAliases are the short names for actions (CodexPro 0.30's).
var superAliases = map[string]string{
	"actions": "list_actions", "config": "server_config", "self_test": "codexpro_self_test",
	"inventory": "codexpro_inventory", "open": "open_current_workspace", "snapshot": "workspace_snapshot",
	"changes": "show_changes", "handoff_poll": "wait_for_handoff", "pro_export": "export_pro_context",
	"agent_handoff": "handoff_to_agent", "codex_handoff": "handoff_to_codex",
}

var actionSeparators = regexp.MustCompile(`[\s-]+`)

// wrapped carries a wrapped tool's finished result through Define.
type wrapped struct{ res *mcp.CallToolResult }

// SupertoolTool runs any tool the current configuration advertises, by
// name: for clients that cap how many tools they show. It looks tools up in
// the visible set only, so it can never reach a tool the mode hides, and it
// goes through Call, so tagging and redaction are the same as a direct call.
func SupertoolTool() toolkit.Tool {
	t := toolkit.Define(toolkit.Spec{
		Name: "codexpro", Title: "CodexPro Supertool", Kind: toolkit.Shell, Sets: toolkit.AllSets, Traits: toolkit.Dispatches,
		Description: "Run any CodexPro tool available in the current mode by name: action=<tool name or alias>, args={...}. " +
			"action=list_actions lists them. It cannot reach tools the current mode hides.",
	}, supertool)
	return toolkit.WithContent(t, func(res *mcp.CallToolResult, w wrapped) { *res = *w.res })
}

func supertool(ctx context.Context, e *toolkit.Env, in superIn) (any, string, error) {
	action := normalizeAction(in.Action)
	visible := All().Visible(e.Cfg)
	switch action {
	case "list_actions", "help":
		return listActions(e, visible)
	case "codexpro":
		return nil, "", toolkit.UserErrorf("codexpro cannot call itself. Pass another action, or action=list_actions.")
	}
	var target *toolkit.Tool
	for i := range visible {
		if visible[i].Name == action {
			target = &visible[i]
		}
	}
	if target == nil {
		return nil, "", toolkit.UserErrorf("CodexPro action is not available in the current mode: %s. Call codexpro with action=list_actions, "+
			"or restart CodexPro with a broader tool mode (--tool-mode full) or the write/bash mode that enables it.", action)
	}
	res := toolkit.Call(ctx, e, *target, in.Args)
	var m map[string]any
	if json.Unmarshal(res.RawStructuredContent, &m) == nil && m != nil {
		m["codexpro_super_action"], m["wrapped_tool"] = action, action
		if raw, err := json.Marshal(m); err == nil {
			res.RawStructuredContent = raw
		}
	}
	return wrapped{res}, "", nil
}

// normalizeAction trims, lowercases, turns spaces and dashes into
// underscores and applies the aliases.
func normalizeAction(a string) string {
	a = actionSeparators.ReplaceAllString(strings.ToLower(strings.TrimSpace(a)), "_")
	if a == "" {
		return "list_actions"
	}
	if full, ok := superAliases[a]; ok {
		return full
	}
	return a
}

func listActions(e *toolkit.Env, visible []toolkit.Tool) (any, string, error) {
	var actions []string
	var b strings.Builder
	b.WriteString("# CodexPro Actions\n\nCall codexpro with action=<name> and args={...}.\n\n")
	for _, t := range visible {
		if t.Name == "codexpro" {
			continue
		}
		actions = append(actions, t.Name)
		fmt.Fprintf(&b, "- %s — %s\n", t.Name, t.Title)
	}
	aliases := make([]string, 0, len(superAliases))
	for k, v := range superAliases {
		aliases = append(aliases, k+" -> "+v)
	}
	sort.Strings(aliases)
	fmt.Fprintf(&b, "\nAliases: %s\nModes: tool=%s, bash=%s, write=%s", strings.Join(aliases, ", "), e.Cfg.ToolMode, e.Cfg.BashMode, e.Cfg.WriteMode)
	out := superOut{"actions": nonNil(actions), "action_count": len(actions), "aliases": superAliases,
		"tool_mode": e.Cfg.ToolMode, "bash_mode": e.Cfg.BashMode, "write_mode": e.Cfg.WriteMode}
	return out, b.String(), nil
}
