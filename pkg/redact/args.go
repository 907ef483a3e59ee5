package redact

import "strings"

// argContext is how many preceding arguments can make an argument secret
// ("ngrok config add-authtoken X" needs three).
const argContext = 3

// Args returns a redacted copy of a command line. An argument is hidden
// when it is a secret by itself or when the arguments before it make it one
// ("--token", X), which Text on each element alone would miss.
func Args(argv []string) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = Text(a)
		if out[i] != a || i == 0 {
			continue
		}
		joined := strings.Join(argv[max(0, i-argContext):i], " ") + " " + a
		if !strings.Contains(Text(joined), a) {
			out[i] = Placeholder
		}
	}
	return out
}
