module codexpro.dev/cmd

go 1.26.0

require (
	codexpro.dev/mcpd v0.0.0
	codexpro.dev/pkg v0.0.0
)

replace (
	codexpro.dev/mcpd => ../mcpd
	codexpro.dev/pkg => ../pkg
)
