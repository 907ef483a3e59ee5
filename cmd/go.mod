module codexpro.dev/cmd

go 1.26.0

require (
	codexpro.dev/mcpd v0.0.0
	codexpro.dev/pkg v0.0.0
	codexpro.dev/tunnelctl v0.0.0
	github.com/alecthomas/kong v1.17.0
	github.com/rs/zerolog v1.35.1
)

require (
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	golang.org/x/sys v0.29.0 // indirect
)

replace (
	codexpro.dev/mcpd => ../mcpd
	codexpro.dev/pkg => ../pkg
	codexpro.dev/tunnelctl => ../tunnelctl
)
