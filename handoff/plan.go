package handoff

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"

	"codexpro.dev/pkg/bridge"
)

// plan is a loaded current-plan.md.
type plan struct {
	Rel  string // workspace-relative, e.g. .ai-bridge/current-plan.md
	Abs  string
	Text string
	Hash string
}

// loadPlan reads the plan through the guard: bounded, text only, no
// symlinked component.
func loadPlan(fsys *rootFS, contextDir string, maxBytes int64) (plan, error) {
	rel := bridge.Rel(contextDir, bridge.CurrentPlan)
	data, _, err := fsys.ReadFile(rel, maxBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return plan{}, fmt.Errorf("no handoff plan found at %s. Ask ChatGPT to call handoff_to_agent first", rel)
	}
	if err != nil {
		return plan{}, fmt.Errorf("read plan: %w", err)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return plan{}, fmt.Errorf("refusing to read binary file: %s", rel)
	}
	text := string(data)
	return plan{Rel: rel, Abs: fsys.abs(rel), Text: text, Hash: bridge.PlanHash(text)}, nil
}

// planSnapshot is what the loop compares before and after the reviewer.
type planSnapshot struct {
	Exists bool
	Hash   string
	Usable bool // non-empty and not the scaffold
}

func snapshotPlan(fsys *rootFS, contextDir string, maxBytes int64) planSnapshot {
	p, err := loadPlan(fsys, contextDir, maxBytes)
	if err != nil {
		return planSnapshot{}
	}
	return planSnapshot{Exists: true, Hash: p.Hash, Usable: !bridge.IsScaffoldPlan(p.Text)}
}
