package tools

import (
	gobuild "go/build"
	"os"
	"path/filepath"
	"testing"

	"codexpro.dev/pkg/workspace"
)

// BenchmarkTreeGoroot draws Go's source tree three levels deep (issue 9's
// tree workload), at the default and the largest entry cap.
func BenchmarkTreeGoroot(b *testing.B) {
	dir := filepath.Join(gobuild.Default.GOROOT, "src")
	if _, err := os.Stat(dir); err != nil {
		b.Skip("no Go source tree")
	}
	bl, err := workspace.NewBlocklist(nil)
	if err != nil {
		b.Fatal(err)
	}
	roots, err := workspace.NewRoots([]string{dir}, bl, workspace.Limits{MaxReadBytes: 180000})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(roots.Close)
	w, err := roots.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{800, 3000} {
		b.Run(map[int]string{800: "default", 3000: "max"}[n], func(b *testing.B) {
			for b.Loop() {
				if _, err := Tree(w, ".", TreeOptions{MaxDepth: 3, MaxEntries: n}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
