package clix

import (
	"runtime/debug"
	"strings"
)

// releaseSymbol is what a release build overrides with
// -ldflags "-X codexpro.dev/cmd/internal/clix.release=…" (.goreleaser.yaml).
const releaseSymbol = "codexpro.dev/cmd/internal/clix.release"

// release is the version every binary reports unless the build stamps one.
var release = "0.1.0"

// Version is the release plus the commit the binary was built from, when
// the build recorded one (`make build` builds with -buildvcs=true), so
// `mcpd doctor` can tell binaries of different builds apart.
func Version() string {
	bi, _ := debug.ReadBuildInfo()
	return stamp(release, bi)
}

// Stamp is Version for another binary of this project, read from its
// build info (buildinfo.ReadFile): the release its -ldflags stamped, or
// this source's default, plus its commit. For this binary it equals
// Version(), so `--version` and `mcpd doctor` always agree. "" when bi is
// nil (not a Go binary).
func Stamp(bi *debug.BuildInfo) string {
	if bi == nil {
		return ""
	}
	rel := release
	for _, s := range bi.Settings {
		if s.Key == "-ldflags" {
			if v, ok := ldflagValue(s.Value, releaseSymbol); ok {
				rel = v
			}
		}
	}
	return stamp(rel, bi)
}

// ldflagValue finds "-X sym=value" (or -X=sym=value) in an -ldflags string.
func ldflagValue(flags, sym string) (string, bool) {
	fields := strings.Fields(flags)
	for i, f := range fields {
		arg := ""
		switch {
		case f == "-X" && i+1 < len(fields):
			arg = fields[i+1]
		case strings.HasPrefix(f, "-X="):
			arg = f[3:]
		}
		if v, ok := strings.CutPrefix(strings.Trim(arg, `'"`), sym+"="); ok {
			return v, true
		}
	}
	return "", false
}

func stamp(rel string, bi *debug.BuildInfo) string {
	if bi == nil {
		return rel
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
		rel += " (commit " + rev[:12] + dirty + ")"
	}
	return rel
}
