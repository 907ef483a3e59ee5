// Command blockdoc rewrites the generated blocklist table in SECURITY.md
// from workspace.DefaultRules (run by go generate in pkg/workspace).
package main

import (
	"codexpro.dev/pkg/docblock"
	"codexpro.dev/pkg/workspace"
)

func main() { docblock.Main("blockdoc", workspace.DocBlock, workspace.BlocklistDoc) }
