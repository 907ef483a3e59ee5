package bashpolicy

import (
	"os"
	"strings"
	"testing"
)

// fuzzGitSubs and fuzzGitWords are what FuzzSafeGitOutput builds command
// lines from: every allowed subcommand, every allowed option that widens or
// changes the output's layout, revisions (ranges, merges, REV:path trees),
// paths, and options safe mode refuses, so the fuzzer also explores what
// the allow-lists let through.
var (
	fuzzGitSubs  = []string{"log", "show", "diff", "status", "ls-files", "blame", "branch", "rev-parse"}
	fuzzGitWords = []string{
		"-p", "-u", "--stat", "--name-only", "--name-status", "--numstat", "--raw", "--summary", "--dirstat",
		"--shortstat", "--patch-with-stat", "--full-diff", "--oneline", "--format=medium", "--pretty=oneline",
		"--format=fuller", "--format=%H %s", "-m", "-c", "--cc", "--all", "-a", "-R", "-W", "-w", "--relative",
		"--cached", "-s", "--no-patch", "-U0", "--unified=9", "--abbrev=4", "--decorate", "--reverse",
		"--first-parent", "--merges", "-n", "2", "-3", "--diff-filter=D", "--full-index", "--text",
		"HEAD", "HEAD~1", "HEAD~2", "HEAD~3", "side", "main..side", "HEAD~3...HEAD", "HEAD:", "HEAD~1:",
		"HEAD:sub", "HEAD:./", ":main.go", "HEAD:main.go", "-b", "-sb", "-uall", "--porcelain", "--short",
		"--long", "--ignored", "-t", "-o", "-c", "--full-name", "--eol", "--stage", "--exclude-standard",
		"--others", "-L", "1,3:main.go", "-L1,2:main.go", "main.go", "docs", "sub", ".", "--", "docs/readme.txt",
		"-e", "-l", "--root", "--verbose", "--list", "--show-prefix", "--abbrev-ref", "--word-diff", "--follow",
		"-M", "--binary", "--format=%B", "--ext-diff", "--textconv", "--graph", "-z", "--dirstat=files,0",
		"--stat=10", "--no-renames", "--ignore-submodules", "--src-prefix=x/", "--color",
	}
)

// FuzzSafeGitOutput proves the per-file output filter over option sets:
// for any git command line safe mode accepts, run as mcpd runs it against
// a repository built to leak (secrets in history, blocked directories,
// user-blocked globs at any depth, odd file names, files outside a nested
// root, textconv and filter drivers in .git/config), the output contains
// no content or name of a blocked or out-of-root file, nothing a driver
// printed, and no driver ran.
func FuzzSafeGitOutput(f *testing.F) {
	f.Add(uint8(0), []byte{10, 5})                 // log --full-diff -p
	f.Add(uint8(1), []byte{50, 31})                // show HEAD:
	f.Add(uint8(2), []byte{44, 3})                 // diff HEAD~3 --name-only
	f.Add(uint8(3), []byte{56, 58})                // status --porcelain --ignored
	f.Add(uint8(4), []byte{64, 60, 63})            // ls-files -o --eol -t
	f.Add(uint8(5), []byte{72, 73})                // blame main.go
	f.Add(uint8(0), []byte{17, 10, 0, 2, 4, 8, 9}) // log -m --full-diff -p --stat ...
	p, repo, ran := hostileRepo(f)
	f.Fuzz(func(t *testing.T, sub uint8, picks []byte) {
		if len(picks) > 8 {
			picks = picks[:8]
		}
		words := []string{"git", fuzzGitSubs[int(sub)%len(fuzzGitSubs)]}
		for _, b := range picks {
			words = append(words, fuzzGitWords[int(b)%len(fuzzGitWords)])
		}
		cmd := strings.Join(words, " ")
		out, err := safeGit(t, p, repo, cmd, ".")
		if err != nil {
			return // refused: nothing ran
		}
		if what := leaked(out); what != "" {
			t.Fatalf("%s printed %s:\n%s", cmd, what, out)
		}
		if _, err := os.Stat(ran); err == nil {
			t.Fatalf("%s ran a driver from the repository's config", cmd)
		}
	})
}
