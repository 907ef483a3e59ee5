module codexpro.dev/cmd

go 1.26.0

replace (
	codexpro.dev/mcpd => ../mcpd
	codexpro.dev/pkg => ../pkg
)

require (
	codexpro.dev/pkg v0.0.0
	github.com/alecthomas/kong v1.17.0
	github.com/rs/zerolog v1.35.1
)

require (
	codexpro.dev/tunnelctl v0.0.0
	github.com/landlock-lsm/go-landlock v0.11.2 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	golang.org/x/sys v0.49.0 // indirect
	kernel.org/pub/linux/libs/security/libcap/psx v1.2.78 // indirect
)

replace codexpro.dev/tunnelctl => ../tunnelctl
