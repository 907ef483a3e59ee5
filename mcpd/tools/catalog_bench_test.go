package tools

import "testing"

// BenchmarkBuildCatalog is what the first All() in a process pays: every
// tool's input and output schema by reflection and JSON encoding.
func BenchmarkBuildCatalog(b *testing.B) {
	for b.Loop() {
		if len(build()) == 0 {
			b.Fatal("empty catalog")
		}
	}
}

// BenchmarkAll is every later call (server_config, NewMCPServer).
func BenchmarkAll(b *testing.B) {
	All()
	for b.Loop() {
		if len(All()) == 0 {
			b.Fatal("empty catalog")
		}
	}
}
