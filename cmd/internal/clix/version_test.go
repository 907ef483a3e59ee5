package clix

import (
	"runtime/debug"
	"testing"
)

// A sibling binary's version comes from its own build info: the release its
// build stamped with -X, and its commit; doctor compares these to Version().
func TestStampReadsStampedRelease(t *testing.T) {
	bi := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "-ldflags", Value: "-s -w -X codexpro.dev/cmd/internal/clix.release=1.2.3 -X main.other=x"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123"},
		{Key: "vcs.modified", Value: "true"},
	}}
	if got, want := Stamp(bi), "1.2.3 (commit 0123456789ab+dirty)"; got != want {
		t.Fatalf("Stamp = %q, want %q", got, want)
	}
	bi.Settings[0].Value = "-X=codexpro.dev/cmd/internal/clix.release=2.0.0"
	if got, want := Stamp(bi), "2.0.0 (commit 0123456789ab+dirty)"; got != want {
		t.Fatalf("Stamp(-X=) = %q, want %q", got, want)
	}
	bi.Settings = bi.Settings[1:2]
	if got, want := Stamp(bi), release+" (commit 0123456789ab)"; got != want {
		t.Fatalf("Stamp without -ldflags = %q, want %q", got, want)
	}
	if Stamp(nil) != "" {
		t.Fatal("Stamp(nil) should be empty: not a Go binary")
	}
	own, _ := debug.ReadBuildInfo()
	if Stamp(own) != Version() {
		t.Fatalf("Stamp(own build info) = %q, Version() = %q", Stamp(own), Version())
	}
}
