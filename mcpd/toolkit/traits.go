package toolkit

// Traits are what a tool declares beyond its Kind that decides where it is
// advertised. Visibility is computed from Kind and Traits only (Visible), so a
// new tool is placed by its own declaration, never by a name list elsewhere.
type Traits uint8

const (
	// NeedsBash: the tool runs commands under the bash policy; --bash off
	// hides it.
	NeedsBash Traits = 1 << iota
	// Dispatches: the tool calls other tools, and only those the same
	// configuration advertises, so it can never reach a hidden one.
	Dispatches
	// ListsCodexSessions: advertised in every tool mode when codex sessions
	// are metadata or read, and never otherwise.
	ListsCodexSessions
	// ReadsCodexSessions: reads session content; advertised in every tool mode
	// when codex sessions are read, and never otherwise.
	ReadsCodexSessions
	// NeedsAnalysis: hidden when repository analysis is off.
	NeedsAnalysis
	// HandoffEntry: the way to hand work to an agent; advertised in every tool
	// mode when the write mode is handoff.
	HandoffEntry
	// Card: a successful result renders as the tool card (a diff or a plan)
	// when tool cards are on.
	Card
)

// Has reports whether every trait in t2 is set.
func (t Traits) Has(t2 Traits) bool { return t&t2 == t2 }
