package clix

import (
	"bytes"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

type testCLI struct {
	Completion Completion `cmd:""`
	Run        struct {
		Name string `required:""`
	} `cmd:"" default:"withargs"`
	Version kong.VersionFlag
}

func TestParse(t *testing.T) {
	var out bytes.Buffer
	opts := []kong.Option{kong.Name("x"), kong.Writers(&out, &out), kong.Vars{"version": "1.2.3"}}
	if _, code, exited, err := Parse(&testCLI{}, []string{"--version"}, opts...); !exited || code != 0 || err != nil || !strings.Contains(out.String(), "1.2.3") {
		t.Fatalf("--version: exited=%v code=%d err=%v out=%q", exited, code, err, out.String())
	}
	out.Reset()
	if _, code, exited, _ := Parse(&testCLI{}, []string{"--bogus"}, opts...); !exited || code != UsageExit || !strings.Contains(out.String(), "--bogus") {
		t.Fatalf("usage error: exited=%v code=%d out=%q", exited, code, out.String())
	}
	var c testCLI
	if kctx, _, exited, err := Parse(&c, []string{"--name", "n"}, opts...); exited || err != nil || kctx == nil || c.Run.Name != "n" {
		t.Fatalf("good args: exited=%v err=%v name=%q", exited, err, c.Run.Name)
	}
}

func TestCompletion(t *testing.T) {
	var out bytes.Buffer
	opts := []kong.Option{kong.Name("x"), kong.Writers(&out, &out), kong.Vars{"version": "1"}}
	t.Setenv("SHELL", "/bin/bash")
	if _, code, exited, err := Parse(&testCLI{}, []string{"completion"}, opts...); !exited || code != 0 || err != nil || !strings.Contains(out.String(), "complete -C") {
		t.Fatalf("completion: exited=%v code=%d err=%v out=%q", exited, code, err, out.String())
	}
	for _, shell := range []string{"zsh", "fish"} {
		out.Reset()
		if _, code, exited, err := Parse(&testCLI{}, []string{"completion", shell}, opts...); !exited || code != 0 || err != nil || !strings.Contains(out.String(), "complete ") {
			t.Fatalf("completion %s: exited=%v code=%d err=%v out=%q", shell, exited, code, err, out.String())
		}
	}
	out.Reset()
	t.Setenv("COMP_LINE", "x run --na")
	t.Setenv("COMP_POINT", "10")
	if _, _, exited, _ := Parse(&testCLI{}, nil, opts...); !exited || !strings.Contains(out.String(), "--name") {
		t.Fatalf("COMP_LINE completion: exited=%v out=%q", exited, out.String())
	}
}

func TestVersionHasRelease(t *testing.T) {
	if !strings.HasPrefix(Version(), release) {
		t.Fatalf("Version() = %q", Version())
	}
}
