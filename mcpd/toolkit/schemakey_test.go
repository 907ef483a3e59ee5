package toolkit

import (
	"slices"
	"testing"
)

// TestSchemaKeyFollowsTypes: a change the derivation would see (a tag, a
// field, nesting, output or not) changes the key, so a stale cache entry is
// never looked up.
func TestSchemaKeyFollowsTypes(t *testing.T) {
	type a struct {
		Path string `json:"path" jsonschema:"File path"`
	}
	type b struct {
		Path string `json:"path" jsonschema:"Another description"`
	}
	type c struct {
		Path string `json:"path,omitempty" jsonschema:"File path"`
	}
	type d struct {
		Path  string `json:"path" jsonschema:"File path"`
		Extra int    `json:"extra"`
	}
	type e struct {
		Inner a `json:"inner"`
	}
	type f struct {
		Inner b `json:"inner"`
	}
	keys := []string{schemaKey[a](false), schemaKey[a](true), schemaKey[b](false), schemaKey[c](false),
		schemaKey[d](false), schemaKey[e](false), schemaKey[f](false), schemaKey[[]a](false)}
	for i, k := range keys {
		if slices.Contains(keys[:i], k) {
			t.Errorf("key %d repeats an earlier one: %s", i, k)
		}
	}
	if k1, k2 := schemaKey[a](false), schemaKey[a](false); k1 != k2 {
		t.Error("key is not deterministic")
	}
}
