package redact

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// Value returns a copy of v with every string redacted by Text, at any
// depth. Maps, slices and JSON-like values keep their shape; any other type
// (structs, typed maps) goes through a JSON round trip and comes back as
// map[string]any / []any / json.Number. Map keys are kept as they are.
func Value(v any) any {
	return value(v, map[uintptr]bool{})
}

// cycleMark replaces a map or slice that contains itself.
const cycleMark = "[cycle]"

func value(v any, path map[uintptr]bool) any {
	switch t := v.(type) {
	case nil, bool, float64, float32, int, int64, int32, uint, uint64, json.Number:
		return v
	case string:
		return Text(t)
	case []byte:
		return Text(string(t))
	case error:
		return Text(t.Error())
	case map[string]any:
		return walk(t, path, func() any {
			out := make(map[string]any, len(t))
			for k, e := range t {
				out[k] = value(e, path)
			}
			return out
		})
	case []any:
		return walk(t, path, func() any {
			out := make([]any, len(t))
			for i, e := range t {
				out[i] = value(e, path)
			}
			return out
		})
	case []string:
		out := make([]string, len(t))
		for i, e := range t {
			out[i] = Text(e)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, e := range t {
			out[k] = Text(e)
		}
		return out
	}
	return roundTrip(v, path)
}

// walk guards against self-referencing maps and slices, which would
// otherwise recurse forever.
func walk(v any, path map[uintptr]bool, copyOf func() any) any {
	rv := reflect.ValueOf(v)
	if rv.Len() == 0 {
		return copyOf()
	}
	p := uintptr(rv.UnsafePointer())
	if path[p] {
		return cycleMark
	}
	path[p] = true
	defer delete(path, p)
	return copyOf()
}

func roundTrip(v any, path map[uintptr]bool) any {
	data, err := json.Marshal(v)
	if err != nil {
		return Text(fmt.Sprint(v))
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return Text(string(data))
	}
	return value(generic, path)
}
