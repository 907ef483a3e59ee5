package config

import "errors"

// Shared is what handoff reads of the settings it shares with mcpd (those
// declared with the Handoff scope): the same variables, parsed by the same
// code, with the same defaults.
type Shared struct {
	Root           string // as given; "" is the current directory
	Sandbox        string
	SandboxNet     bool
	InheritEnv     bool
	MaxReadBytes   int64
	MaxOutputBytes int64
	BlockedGlobs   []string
	ContextDir     string
	Home           string
}

// LoadShared reads the shared settings: flags (by setting name) >
// variables > defaults. Profiles are mcpd's; handoff does not read them.
// Every invalid value is reported at once.
func LoadShared(flags Flags, env func(string) (string, bool)) (Shared, error) {
	l := &loader{env: env, flags: flags}
	var s Shared
	s.Root, _ = l.str(kRoot)
	s.Sandbox = l.enum(kSandbox)
	s.SandboxNet, _ = l.boolean(kSandboxNet)
	s.InheritEnv, _ = l.boolean(kInheritEnv)
	s.MaxReadBytes = l.integer(kMaxRead)
	s.MaxOutputBytes = l.integer(kMaxOutput)
	for _, g := range l.list(kBlockedGlobs, globSep) {
		s.BlockedGlobs = append(s.BlockedGlobs, g.value)
	}
	s.ContextDir = l.contextDir()
	s.Home = l.path(kHome, homeDir(env), ".codexpro", "")
	return s, errors.Join(l.errs...)
}
