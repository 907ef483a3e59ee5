package wire

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzInspectPlain holds the plain reading of a message to encoding/json's:
// whatever inspectPlain accepts, inspectDecoded accepts with the same id,
// method and params; and PlainParams says "no _meta" exactly when
// encoding/json finds none in an object.
func FuzzInspectPlain(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","arguments":{"path":"a.go"}}}`,
		`{"jsonrpc":"2.0","id":"x<y","method":"ping","params":null}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":1,"ID":2,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":1,"id":null,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"_META":{}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"\u005fmeta":{}}}`,
		`{"jsonrpc":"2.0","id":1,"meth\u006fd":"x","method":"tools/call"}`,
		`{"jſonrpc":"1.0","jsonrpc":"2.0","id":1,"method":"ping"}`,
		` {"jsonrpc" : "2.0" , "id" : -1.5e3 , "method" : "a\u0062" , "params" : [ 1 , {"]":"}"} ] } `,
		`{"jsonrpc":"2.0","id":1,"method":"\xff"}`,
		`{"jsonrpc":"2.0","id":{},"method":"ping"}`,
	} {
		f.Add([]byte(s), []byte(`{"name":"x","_meta":null}`))
	}
	f.Fuzz(func(t *testing.T, raw, params []byte) {
		raw = bytes.TrimSpace(raw)
		if m, ok := inspectPlain(raw); ok {
			d, refusal := inspectDecoded(raw)
			switch {
			case refusal != nil:
				t.Fatalf("%q: plain accepts, decoded refuses: %s", raw, refusal.Error.Message)
			case !bytes.Equal(m.ID, d.ID) || (m.ID == nil) != (d.ID == nil):
				t.Fatalf("%q: id %q, decoded %q", raw, m.ID, d.ID)
			case m.Method != d.Method:
				t.Fatalf("%q: method %q, decoded %q", raw, m.Method, d.Method)
			case !bytes.Equal(m.Params, d.Params) || (m.Params == nil) != (d.Params == nil):
				t.Fatalf("%q: params %q, decoded %q", raw, m.Params, d.Params)
			}
		}
		if !json.Valid(params) {
			return
		}
		var p struct {
			Meta json.RawMessage `json:"_meta"`
		}
		want := len(params) > 0 && bytes.TrimSpace(params)[0] == '{' && json.Unmarshal(params, &p) == nil && p.Meta == nil
		if got := (Message{Params: bytes.TrimSpace(params)}).PlainParams(); got != want {
			t.Fatalf("params %q: PlainParams %v, encoding/json %v", params, got, want)
		}
	})
}
