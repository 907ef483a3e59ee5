package bashpolicy

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// FuzzDecide checks that Decide never panics, that every failure is a
// Refusal, and that whatever it accepts was free of redirections,
// substitutions and expansions and runs an allowlisted program.
func FuzzDecide(f *testing.F) {
	for _, tc := range corpus {
		f.Add(tc.cmd)
	}
	p := newPolicy(f)
	allowed := commands()
	f.Fuzz(func(t *testing.T, cmd string) {
		d, err := p.Decide(cmd, ".")
		if err != nil {
			var r *Refusal
			if !errors.As(err, &r) {
				t.Fatalf("error is not a Refusal: %v", err)
			}
			return
		}
		if len(d.Steps) == 0 {
			t.Fatal("accepted with no steps")
		}
		for _, argv := range d.Steps {
			name := argv[0]
			if _, ok := allowed[name]; !ok && !strings.HasPrefix(name, filepath.Join(p.Root, "")) {
				t.Fatalf("accepted program %q outside the allowlist", name)
			}
		}
		file, perr := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(strings.TrimSpace(cmd)), "")
		if perr != nil {
			t.Fatalf("accepted %q that does not parse: %v", cmd, perr)
		}
		syntax.Walk(file, func(n syntax.Node) bool {
			switch n.(type) {
			case *syntax.Redirect, *syntax.CmdSubst, *syntax.ParamExp, *syntax.ProcSubst,
				*syntax.ArithmExp, *syntax.Subshell, *syntax.FuncDecl, *syntax.Assign, *syntax.ExtGlob:
				t.Fatalf("accepted %q containing %T", cmd, n)
			}
			return true
		})
	})
}
