package redact

import (
	"encoding/json"
	"strings"
	"testing"
)

const leak = "sk-realSecretValue123"

func TestValueRedactsAtAnyDepth(t *testing.T) {
	var deep any = leak
	for range 50 {
		deep = map[string]any{"next": []any{deep}}
	}
	got, err := json.Marshal(Value(deep))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), leak) || !strings.Contains(string(got), Placeholder) {
		t.Fatalf("depth-50 value not redacted: %.200s", got)
	}
}

func TestValueShapes(t *testing.T) {
	type inner struct {
		Note string `json:"note"`
		N    int    `json:"n"`
	}
	in := map[string]any{
		"text":    "key " + leak,
		"list":    []string{leak, "fine"},
		"strmap":  map[string]string{"a": leak},
		"struct":  inner{Note: leak, N: 3},
		"pointer": &inner{Note: leak},
		"bytes":   []byte(leak),
		"num":     42,
		"flag":    true,
		"nil":     nil,
	}
	out := Value(in).(map[string]any)
	blob, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(blob), leak) {
		t.Fatalf("leak in %s", blob)
	}
	if out["num"] != 42 || out["flag"] != true || out["list"].([]string)[1] != "fine" {
		t.Fatalf("non-secret values changed: %s", blob)
	}
	if st := out["struct"].(map[string]any); st["n"] != float64(3) {
		t.Fatalf("struct round trip lost fields: %v", st)
	}
	if in["text"] != "key "+leak {
		t.Fatal("Value modified its input")
	}
}

func TestValueSurvivesCycles(t *testing.T) {
	m := map[string]any{"secret": leak}
	m["self"] = m
	s := []any{leak, nil}
	s[1] = s
	out := Value(map[string]any{"m": m, "s": s}).(map[string]any)
	if got := out["m"].(map[string]any)["self"]; got != cycleMark {
		t.Fatalf("map cycle = %v, want %q", got, cycleMark)
	}
	if got := out["s"].([]any); got[0] != Placeholder || got[1] != cycleMark {
		t.Fatalf("slice cycle = %v", got)
	}
}
