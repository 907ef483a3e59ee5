module codexpro.dev/pkg

go 1.26.0
