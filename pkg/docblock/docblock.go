// Package docblock keeps a generated block of a Markdown document current:
// the text between two marker lines is rewritten by go generate from the
// code that owns the facts (the settings, the blocked paths), and a test
// compares it, so the document never describes another version.
package docblock

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Block names the markers around one generated block.
type Block struct{ Begin, End string }

// Replace puts body between the markers of doc, or says which are missing.
func (b Block) Replace(doc, body string) (string, error) {
	i, j := strings.Index(doc, b.Begin), strings.Index(doc, b.End)
	if i < 0 || j < i {
		return "", fmt.Errorf("markers %q ... %q not found in order", b.Begin, b.End)
	}
	return doc[:i+len(b.Begin)] + "\n" + body + doc[j:], nil
}

// Rewrite replaces the block of the file at path, atomically (temp file and
// rename, keeping the file's mode); an unchanged file is not written.
func (b Block) Rewrite(path, body string) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, err := b.Replace(string(old), body)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if doc == string(old) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".docblock-*.md")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(doc); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if fi, err := os.Stat(path); err == nil {
		_ = os.Chmod(tmp.Name(), fi.Mode().Perm())
	}
	return os.Rename(tmp.Name(), path)
}

// Main is the whole of a go:generate command: `tool PATH` rewrites the
// block of PATH with body().
func Main(tool string, b Block, body func() string) {
	if len(os.Args) != 2 {
		fmt.Fprintf(os.Stderr, "usage: %s PATH/TO/DOCUMENT.md\n", tool)
		os.Exit(2)
	}
	if err := b.Rewrite(os.Args[1], body()); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", tool, err)
		os.Exit(1)
	}
}
