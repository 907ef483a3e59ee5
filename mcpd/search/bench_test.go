package search

import (
	"context"
	"fmt"
	"go/build"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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

// benchEngine is shared by every run in the process, as mcpd shares one,
// so repeated runs (-count) measure a warm engine.
var benchEngine = NewEngine()

// benchSearch runs each query with the engine, so all but the first run
// reuse its blocked-path decisions; "literal-cold" runs without it.
func benchSearch(b *testing.B, w *workspace.Workspace) {
	eng := benchEngine
	cold := append(benchQueries[:1:1], benchQueries...)
	cold[0].name = "literal-cold"
	for i, q := range cold {
		search := eng.Search
		if i == 0 {
			search = Search
		}
		b.Run(q.name, func(b *testing.B) {
			o := q.o
			o.MaxResults, o.MaxFileBytes = 2000, 720000
			o.Workers, _ = strconv.Atoi(os.Getenv("CODEXPRO_BENCH_WORKERS"))
			var files, matches int
			cpu0 := cpuTime()
			for b.Loop() {
				r, err := search(context.Background(), w, o)
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
	benchSearch(b, openWorkspace(b, dir))
}

// BenchmarkSearchGoroot searches Go's own source tree (about 11,500 files),
// the large workload of issue 9, when the toolchain's sources are present.
// CODEXPRO_BENCH_TREE points it at another tree (bench/search.sh uses it).
func BenchmarkSearchGoroot(b *testing.B) {
	dir := os.Getenv("CODEXPRO_BENCH_TREE")
	if dir == "" {
		dir = filepath.Join(build.Default.GOROOT, "src")
		if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
			dir = filepath.Join(strings.TrimSpace(string(out)), "src")
		}
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		b.Skipf("no source tree at %s", dir)
	}
	benchSearch(b, openWorkspace(b, dir))
}

// BenchmarkScan measures the matchers alone, without the file system, on
// about 8 MB of Go source held in memory (MB/s is bytes scanned).
func BenchmarkScan(b *testing.B) {
	var corpus []byte
	root := filepath.Join(build.Default.GOROOT, "src")
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || len(corpus) > 8<<20 {
			return filepath.SkipDir
		}
		if strings.HasSuffix(p, ".go") {
			data, _ := os.ReadFile(p)
			corpus = append(corpus, data...)
		}
		return nil
	})
	if len(corpus) < 1<<20 {
		b.Skip("no Go sources to scan")
	}
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			m, err := compileMatcher(q.o.Query, q.o.Regex, q.o.CaseSensitive)
			if err != nil {
				b.Fatal(err)
			}
			sc := &scratch{}
			b.SetBytes(int64(len(corpus)))
			for b.Loop() {
				m.scan(corpus, sc, func(int, []byte) bool { return true })
			}
		})
	}
}
