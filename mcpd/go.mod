module codexpro.dev/mcpd

go 1.26.0

require codexpro.dev/pkg v0.0.0

replace codexpro.dev/pkg => ../pkg
