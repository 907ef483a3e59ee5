// Command settingsdoc rewrites the settings table of the README named by
// its argument from pkg/config's declaration (go generate ./pkg/config).
package main

import (
	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/docblock"
)

func main() { docblock.Main("settingsdoc", config.TableBlock, config.Table) }
