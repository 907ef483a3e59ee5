package clix

import "runtime/debug"

// release is the version every binary reports; `make build` may override it
// with -ldflags "-X codexpro.dev/cmd/internal/clix.release=…".
var release = "0.1.0"

// Version is the release plus the commit the binary was built from, when
// the build recorded one (`make build` builds with -buildvcs=true), so
// `mcpd doctor` can tell binaries of different builds apart.
func Version() string {
	bi, _ := debug.ReadBuildInfo()
	if c := commit(bi); c != "" {
		return release + " (commit " + c + ")"
	}
	return release
}

// Stamp identifies the build bi describes: its module version and commit.
// mcpd doctor compares its own stamp with its siblings' (read from their
// files with debug/buildinfo). It is "" without build info (not a Go
// binary).
func Stamp(bi *debug.BuildInfo) string {
	if bi == nil {
		return ""
	}
	if c := commit(bi); c != "" {
		return bi.Main.Version + " " + c
	}
	return bi.Main.Version
}

// commit is the first 12 digits of the VCS revision bi records, with
// "+dirty" for a build from a modified tree; "" when none was recorded.
func commit(bi *debug.BuildInfo) string {
	if bi == nil {
		return ""
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) < 12 {
		return ""
	}
	return rev[:12] + dirty
}
