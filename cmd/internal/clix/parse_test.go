package clix

import (
	"bytes"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

type testCLI struct {
	Version kong.VersionFlag
	Name    string `required:""`
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
	if kctx, _, exited, err := Parse(&c, []string{"--name", "n"}, opts...); exited || err != nil || kctx == nil || c.Name != "n" {
		t.Fatalf("good args: exited=%v err=%v name=%q", exited, err, c.Name)
	}
}
