package config

// Defaults that other packages need as values.
const (
	DefaultHost         = "127.0.0.1"
	DefaultPort         = 8787
	DefaultWidgetDomain = "https://rebel0789.github.io"
	DefaultContextDir   = ".ai-bridge"
	MinTokenBytes       = 24
)
