// Command blockdoc rewrites the generated blocklist table in SECURITY.md
// from workspace.DefaultRules (run by go generate in pkg/workspace).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"codexpro.dev/pkg/workspace"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: blockdoc PATH/TO/SECURITY.md")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "blockdoc:", err)
		os.Exit(1)
	}
}

// rewrite replaces the marked block atomically (temp file and rename).
func rewrite(path string) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, err := workspace.ReplaceGenerated(string(old), workspace.BlocklistDoc())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if doc == string(old) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".security-*.md")
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
