package toolkit

import "encoding/json"

// DeriveSchemas exposes a tool's reflected schemas and their cache keys to
// the schema cache test, which lists the tools of mcpd/tools and so lives
// in package toolkit_test.
func DeriveSchemas(t Tool) (inKey string, in json.RawMessage, outKey string, out json.RawMessage) {
	i, o := t.derive()
	return i.key, i.raw, o.key, o.raw
}
