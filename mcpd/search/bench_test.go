package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"codexpro.dev/pkg/workspace"
)

// benchQueries are the issue-9 workloads: a literal, a case-insensitive
// literal, regexps with and without a required literal. Each has few enough
// matches that the whole tree is searched.
var benchQueries = []struct {
	name string
	o    Options
}{
	{"literal", Options{Query: "ErrUnexpectedEOF", CaseSensitive: true}},
	{"fold", Options{Query: "errunexpectedeof"}},
	{"regex", Options{Query: `func \(\w+ \*Reader\) Read\w*`, Regex: true, CaseSensitive: true}},
	{"regex-alt", Options{Query: `ErrShortWrite|ErrShortBuffer|ErrNoProgress`, Regex: true, CaseSensitive: true}},
	{"regex-noliteral", Options{Query: `\d{6}\.\d+e`, Regex: true, CaseSensitive: true}},
}

func benchSearch(b *testing.B, w *workspace.Workspace) {
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			o := q.o
			o.MaxResults, o.MaxFileBytes = 2000, 720000
			var files, matches int
			cpu0 := cpuTime()
			for b.Loop() {
				r, err := Search(context.Background(), w, o)
				if err != nil {
					b.Fatal(err)
				}
				files, matches = r.Files, len(r.Matches)
			}
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
			b.ReportMetric(float64(matches), "matches")
		})
	}
}

// cpuTime is this process's user plus system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func openBenchWorkspace(b *testing.B, dir string) *workspace.Workspace {
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
	return w
}

// BenchmarkSearchGenerated searches a synthetic tree of 2,000 Go-like files
// in 100 directories (about 16 MB).
func BenchmarkSearchGenerated(b *testing.B) {
	dir := b.TempDir()
	r := rand.New(rand.NewPCG(7, 7))
	common := []string{"func", "return", "err", "if", "nil", "Reader", "io", "(", ")", "{", "}", "x", ":=", "\n", "\n\t", "buf", "len", "0"}
	rare := []string{"ErrUnexpectedEOF", "func (r *Reader) ReadByte", "ErrShortWrite", "123456.5e"}
	for d := range 100 {
		for f := range 20 {
			var sb strings.Builder
			for sb.Len() < 8000 {
				sb.WriteString(common[r.IntN(len(common))])
				sb.WriteByte(' ')
				if r.IntN(2000) == 0 {
					sb.WriteString(rare[r.IntN(len(rare))] + " ")
				}
			}
			p := filepath.Join(dir, fmt.Sprintf("pkg%03d", d), fmt.Sprintf("f%02d.go", f))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	benchSearch(b, openBenchWorkspace(b, dir))
}

// BenchmarkSearchGoroot searches Go's own source tree (about 11,500 files),
// the large workload of issue 9, when the toolchain's sources are present.
func BenchmarkSearchGoroot(b *testing.B) {
	dir := filepath.Join(runtime.GOROOT(), "src")
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		dir = filepath.Join(strings.TrimSpace(string(out)), "src")
	}
	if _, err := os.Stat(filepath.Join(dir, "io", "io.go")); err != nil {
		b.Skipf("no Go source tree at %s", dir)
	}
	benchSearch(b, openBenchWorkspace(b, dir))
}
