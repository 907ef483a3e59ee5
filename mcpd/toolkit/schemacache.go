package toolkit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strconv"
)

// Deriving a schema (jsonschema reflection, then its slow JSON encoding)
// costs about as much as the rest of start-up together, so the schemas are
// generated ahead of time into schemacache_gen.go, keyed by a fingerprint
// of everything the derivation reads from the Go type. A type that changed
// has a new fingerprint and is derived at start-up as before: a stale entry
// can never be served. TestSchemaCacheSnapshots checks the file against
// every tool of mcpd/tools; UPDATE_TOOLSNAPS=1 rewrites it with the tool
// snapshots.

type schemaEntry struct {
	key string
	raw json.RawMessage
}

// cachedSchema is mustSchema, answered from the generated cache when T's
// fingerprint is there.
func cachedSchema[T any](output bool) json.RawMessage {
	if raw, ok := generatedSchemas[schemaKey[T](output)]; ok {
		return json.RawMessage(raw)
	}
	return mustSchema[T](output)
}

// schemaKey fingerprints T for the cache: its shape (kinds, named types,
// struct fields with their tags, recursively) and whether it is an output.
func schemaKey[T any](output bool) string {
	h := &shapeWriter{buf: make([]byte, 0, 4096), seen: map[reflect.Type]bool{}}
	h.str(strconv.FormatBool(output))
	h.shape(reflect.TypeFor[T]())
	sum := sha256.Sum256(h.buf)
	return hex.EncodeToString(sum[:16])
}

// shapeWriter appends length-prefixed parts, so no two shapes write the
// same bytes.
type shapeWriter struct {
	buf  []byte
	seen map[reflect.Type]bool
}

func (h *shapeWriter) str(s string) {
	h.buf = strconv.AppendInt(h.buf, int64(len(s)), 10)
	h.buf = append(h.buf, ':')
	h.buf = append(h.buf, s...)
}

func (h *shapeWriter) shape(t reflect.Type) {
	h.str(t.PkgPath())
	h.str(t.String())
	h.str(t.Kind().String())
	if h.seen[t] {
		return // described where it first appeared
	}
	h.seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		h.shape(t.Elem())
	case reflect.Array:
		h.str(strconv.Itoa(t.Len()))
		h.shape(t.Elem())
	case reflect.Map:
		h.shape(t.Key())
		h.shape(t.Elem())
	case reflect.Struct:
		h.str(strconv.Itoa(t.NumField()))
		for i := range t.NumField() {
			f := t.Field(i)
			h.str(f.Name)
			h.str(strconv.FormatBool(f.Anonymous))
			h.str(string(f.Tag))
			h.shape(f.Type)
		}
	}
}
