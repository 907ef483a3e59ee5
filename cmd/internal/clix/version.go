package clix

import "runtime/debug"

// release is the version every binary reports; `make build` may override it
// with -ldflags "-X codexpro.dev/cmd/internal/clix.release=…".
var release = "0.1.0"

// Version is the release plus the commit the binary was built from, when
// the build recorded one (`make build` builds with -buildvcs=true), so
// `mcpd doctor` can tell binaries of different builds apart.
func Version() string {
	v := release
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
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
	if len(rev) >= 12 {
		v += " (commit " + rev[:12] + dirty + ")"
	}
	return v
}
