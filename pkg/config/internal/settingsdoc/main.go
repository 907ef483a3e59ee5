// Command settingsdoc rewrites the settings table of the README named by
// its argument from pkg/config's declaration (go generate ./pkg/config).
package main

import (
	"fmt"
	"os"

	"codexpro.dev/pkg/config"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: settingsdoc README.md")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "settingsdoc:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	readme, err := config.WithTable(string(old))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if readme == string(old) {
		return nil
	}
	return os.WriteFile(path, []byte(readme), 0o644)
}
