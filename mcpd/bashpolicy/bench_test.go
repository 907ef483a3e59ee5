package bashpolicy

import "testing"

// BenchmarkDecide measures the policy on typical verification commands,
// including a glob and git's exclude pathspecs.
func BenchmarkDecide(b *testing.B) {
	p := newPolicy(b)
	cmds := []string{"go test ./...", "git log -p -n 3", "ls *.go", "npm run build:clients", "find . -name '*.go'"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Decide(cmds[i%len(cmds)], "."); err != nil {
			b.Fatal(err)
		}
	}
}
