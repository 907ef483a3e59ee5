package tty

import (
	"bytes"
	"os"
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
