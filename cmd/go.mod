module codexpro.dev/cmd

go 1.26.0

replace (
	codexpro.dev/mcpd => ../mcpd
	codexpro.dev/pkg => ../pkg
)
