package tty

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"
)

// /dev/null (NUL on Windows) is a character device but no terminal: a
// prompt shown there would wait for an answer nobody can give.
func TestNullDeviceIsNotATerminal(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Fatalf("%s reported as a terminal", os.DevNull)
	}
	if IsTerminal(&bytes.Buffer{}) || IsTerminal(nil) || IsTerminal((*os.File)(nil)) {
		t.Fatal("a non-file reported as a terminal")
	}
}

func TestConfirmOnlyExplicitYes(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "YES\n": true, " yes \n": true, "yes": true,
		"\n": false, "": false, "n\n": false, "yess\n": false, "sure\n": false} {
		var out bytes.Buffer
		if got := Confirm(bufio.NewReader(strings.NewReader(in)), &out, "Delete?"); got != want {
			t.Errorf("Confirm(%q) = %v, want %v", in, got, want)
		}
		if out.String() != "Delete? [y/N] " {
			t.Errorf("prompt = %q", out.String())
		}
	}
}
