package mcpd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/mcpd/tools"
	"codexpro.dev/pkg/config"
)

// Local runs single tools in-process for the terminal commands (mcpd
// inspect, mcpd review, handoff pro-bundle and pro-apply). A terminal
// command is the user's own request, so the mode's tool visibility does not
// apply; everything else does: the call goes through toolkit.Call with the
// same workspace guard, limits and redaction as a served call, and what it
// prints is the tool's own (redacted) result.
type Local struct {
	env *toolkit.Env
}

// OpenLocal opens the allowed roots of s. marks keeps show_changes'
// "last reviewed" state between runs; nil keeps it for this process only.
func OpenLocal(s config.Settings, marks toolkit.ReviewMarks) (*Local, error) {
	env, err := NewEnv(s, zerolog.Nop())
	if err != nil {
		return nil, err
	}
	env.Marks = marks
	return &Local{env: env}, nil
}

// Close releases the roots.
func (l *Local) Close() { l.env.Roots.Close() }

// Result is a finished tool call: the redacted text part and the
// structured result as the tool returned it to clients.
type Result struct {
	Text       string
	Structured json.RawMessage
}

// Call runs the named tool with args. A tool failure is an error carrying
// the tool's own message.
func (l *Local) Call(ctx context.Context, name string, args map[string]any) (Result, error) {
	for _, t := range tools.All() {
		if t.Name != name {
			continue
		}
		res := toolkit.Call(ctx, l.env, t, args)
		text := toolkit.ResultText(res)
		if res.IsError {
			return Result{}, errors.New(text)
		}
		return Result{Text: text, Structured: res.RawStructuredContent}, nil
	}
	return Result{}, fmt.Errorf("no tool named %s", name)
}

// ReadFile reads a file of the default workspace through the guard and
// redacts it, as the read tool would.
func (l *Local) ReadFile(rel string) (string, error) {
	w, err := l.env.Roots.Default()
	if err != nil {
		return "", err
	}
	data, _, err := w.ReadFile(rel, l.env.Cfg.MaxWriteBytes)
	if err != nil {
		return "", err
	}
	return l.env.Redact.Text(string(data)), nil
}
