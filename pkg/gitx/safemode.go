package gitx

import (
	"os"
	"strings"
)

// SafeConfig is the -c list every safe-mode git command runs with. It turns
// off what a repository's own config could make git run (fsmonitor, hooks,
// pager, external diff, signature programs) and pins every setting the
// output filter's parser depends on (no colour, no columns, a/ b/ prefixes,
// no renames, blank context lines kept, named log formats, absolute diff
// paths). Filter, clean and textconv drivers are named by the repository,
// so they are turned off by DriverOverrides and --no-textconv.
func SafeConfig() []string {
	pairs := []string{
		"core.fsmonitor=false",
		"core.hooksPath=" + os.DevNull,
		"core.pager=cat",
		"core.quotePath=false",
		"core.attributesFile=" + os.DevNull,
		"diff.external=",
		"diff.noprefix=false",
		"diff.mnemonicPrefix=false",
		"diff.relative=false",
		"diff.renames=false",
		"diff.suppressBlankEmpty=false",
		"diff.dirstat=changes",
		"status.relativePaths=true",
		"status.renames=false",
		"status.showStash=false",
		"status.submoduleSummary=false",
		// color.ui does not override a repository's color.<cmd>=always,
		// nor the older <cmd>.color spellings: each is set.
		"color.ui=false",
		"color.diff=false",
		"diff.color=false",
		"color.status=false",
		"status.color=false",
		"color.branch=false",
		"color.showBranch=false",
		"color.grep=false",
		"color.interactive=false",
		"diff.submodule=short",
		"diff.srcPrefix=a/",
		"diff.dstPrefix=b/",
		"i18n.logOutputEncoding=UTF-8",
		"column.ui=never",
		"format.pretty=medium",
		"log.showSignature=false",
		"log.decorate=short",
		"log.follow=false",
		"log.graphColors=",
		"gpg.program=" + os.DevNull,
		"gpg.ssh.program=" + os.DevNull,
		"gpg.x509.program=" + os.DevNull,
		"blame.ignoreRevsFile=",
	}
	out := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		out = append(out, "-c", p)
	}
	return out
}

// SafeEnv is the environment a safe-mode git command adds to the scrubbed
// one: no system config, no pager, no prompt, no optional locks, stable
// English messages (the filter reads "N files changed").
func SafeEnv() []string {
	return []string{"GIT_CONFIG_NOSYSTEM=1", "GIT_PAGER=cat", "PAGER=cat", "GIT_TERMINAL_PROMPT=0",
		"GIT_OPTIONAL_LOCKS=0", "LC_ALL=C", "LANG=C", "LANGUAGE=C", "NO_COLOR=1"}
}

// DriverOverrides turns the config key names of a repository (the output of
// git config --null --name-only --list) into -c pairs that disable every
// clean/smudge/process filter it defines, whatever its name. External diff
// commands are off by --no-ext-diff and textconv drivers by --no-textconv on
// each command that prints a diff (an empty textconv is an error, not
// "off"). A driver name git's -c could not carry ("=" ends the key) is
// reported as not ok: the command must not run.
func DriverOverrides(names string) (args []string, ok bool) {
	seen := map[string]bool{}
	for _, k := range strings.Split(names, "\x00") {
		k = strings.TrimSpace(k)
		sec, rest, found := strings.Cut(k, ".")
		i := strings.LastIndexByte(rest, '.')
		if !found || i < 0 || !strings.EqualFold(sec, "filter") {
			continue
		}
		sub := rest[:i]
		if strings.ContainsAny(sub, "=\n") {
			return nil, false
		}
		if seen[sub] {
			continue
		}
		seen[sub] = true
		for _, kk := range []string{"clean=", "smudge=", "process=", "required=false"} {
			args = append(args, "-c", "filter."+sub+"."+kk)
		}
	}
	return args, true
}
