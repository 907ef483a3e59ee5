package redact

import (
	"encoding/json"
	"reflect"
)

// Marshal returns the JSON encoding of Value(v). A struct is what tools
// return, and Value would encode it, decode it into generic maps, copy
// them and encode them again; when the first encoding holds no hint of any
// rule, no string in it can be redacted and those bytes are the answer.
// That shortcut is sound because every hint is plain ASCII that JSON
// encodes as itself (hintsSurviveJSON tests it): a string that holds a
// hint puts the same bytes into the encoding.
func Marshal(v any) (json.RawMessage, error) {
	if isStruct(v) {
		if data, err := json.Marshal(v); err == nil && scanner.maskBytes(data) == 0 {
			return data, nil
		}
	}
	return json.Marshal(Value(v))
}

// isStruct covers the values Value sends through its JSON round trip
// unchanged: structs and pointers to them. Maps and slices are walked by
// Value with rules of their own ([]byte as text, errors by message), which
// plain encoding would not follow.
func isStruct(v any) bool {
	t := reflect.TypeOf(v)
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t != nil && t.Kind() == reflect.Struct
}
