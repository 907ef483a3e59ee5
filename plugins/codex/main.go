// Command handoff-agent-codex is handoff's built-in adapter for Codex. handoff
// finds it beside its own binary and starts it as a go-plugin subprocess.
package main

import (
	"codexpro.dev/pkg/agentapi"
	"codexpro.dev/plugins/internal/adapters"
)

func main() { agentapi.Serve(adapters.Codex{}) }
