// Command mcpbench measures mcpd against the peers a user could run
// instead, on the same machine in the same run, and prints medians and
// ratios. bench/run prepares the workloads and peers, then runs it.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

type config struct {
	mcpd, fsPeer, rg, small, large string
	calls                          int
}

// row is one line of the result table; ratio is ours ÷ peer (lower is
// better for times, higher for throughput, as the unit column says).
type row struct {
	workload, unit, ours, peer, ratio, target string
}

func main() {
	var c config
	flag.StringVar(&c.mcpd, "mcpd", "bin/mcpd", "mcpd binary")
	flag.StringVar(&c.fsPeer, "fs-peer", "", "server-filesystem entry point (node script)")
	flag.StringVar(&c.rg, "rg", "rg", "ripgrep binary")
	flag.StringVar(&c.small, "small", "", "small workspace (holds a 10 KB file, small.go)")
	flag.StringVar(&c.large, "large", "", "large workspace (a git copy of Go's src)")
	flag.IntVar(&c.calls, "calls", 2000, "calls per latency workload")
	only := flag.String("only", "", "comma-separated workloads to run (startup, read-stdio, read-http, search, tree, git-status); default all")
	flag.Parse()
	if c.small == "" {
		fmt.Fprintln(os.Stderr, "mcpbench: -small is required")
		os.Exit(2)
	}
	c.mcpd, _ = filepath.Abs(c.mcpd)
	var rows []row
	steps := []struct {
		name string
		run  func(config) ([]row, error)
	}{{"startup", benchStartup}, {"read-stdio", benchReadStdio}, {"read-http", benchReadHTTP},
		{"search", benchSearch}, {"tree", benchTree}, {"git-status", benchGitStatus}}
	for _, step := range steps {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), step.name) {
			continue
		}
		rs, err := step.run(c)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mcpbench:", err)
			os.Exit(1)
		}
		rows = append(rows, rs...)
	}
	printTable(rows)
}

func printTable(rows []row) {
	fmt.Println("| workload | unit | mcpd | peer | ratio (mcpd ÷ peer) | target |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s | %s | %s | %s |\n", r.workload, r.unit, r.ours, orDash(r.peer), orDash(r.ratio), r.target)
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

func ratio(ours, peer float64) string {
	if peer == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f", ours/peer)
}

func baseEnv(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "LANG=C.UTF-8"}
	return append(env, extra...)
}
