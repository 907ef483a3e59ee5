package wire

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
)

// inspectPlain reads the message nearly every client sends, a request
// written plainly, without encoding/json's reflection (which costs a
// dozen allocations a message, on every call): one validity scan, then a
// walk over the top-level members. It answers only when the message is
// plain and a request Inspect accepts: a valid JSON object whose keys are
// written without escapes and none twice, none a case variant of a key
// Inspect reads (encoding/json would match those); "jsonrpc" exactly
// "2.0"; a string or number id, or none; a non-empty method written
// without escapes in valid UTF-8; params an object, an array, null or
// absent. Anything else (ok false) takes inspectDecoded, which decides
// every message; FuzzInspectPlain holds the two to the same answer. The
// Message refers into raw.
func inspectPlain(raw []byte) (m Message, ok bool) {
	if len(raw) == 0 || raw[0] != '{' || !json.Valid(raw) {
		return Message{}, false
	}
	var jsonrpc, id, method, params []byte
	ok = members(raw, func(key, value []byte) bool {
		var slot *[]byte
		switch string(key) {
		case "jsonrpc":
			slot = &jsonrpc
		case "id":
			slot = &id
		case "method":
			slot = &method
		case "params":
			slot = &params
		case "result", "error":
			return true // a request's result or error is never read
		default:
			return !bytes.ContainsRune(key, '\\') && !envelopeKey(key)
		}
		if *slot != nil {
			return false // encoding/json keeps the last; leave that to it
		}
		*slot = value
		return true
	})
	if !ok || string(jsonrpc) != `"`+mcp.JSONRPC_VERSION+`"` || !plainString(method) || len(method) == 2 {
		return Message{}, false
	}
	if id != nil {
		switch id[0] {
		case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			m.ID = id
		default:
			return Message{}, false
		}
	}
	if params != nil && string(params) != "null" {
		if params[0] != '{' && params[0] != '[' {
			return Message{}, false
		}
		m.Params = params
	}
	m.Method = methodName(method[1 : len(method)-1])
	return m, true
}

// envelopeKeys are the members Inspect reads; encoding/json matches a key
// to them case-insensitively.
var envelopeKeys = [...]string{"jsonrpc", "id", "method", "params", "result", "error"}

func envelopeKey(key []byte) bool {
	for _, k := range envelopeKeys {
		if bytes.EqualFold(key, []byte(k)) {
			return true
		}
	}
	return false
}

// plainString reports a JSON string written without escapes, in valid
// UTF-8: its bytes between the quotes are its value.
func plainString(v []byte) bool {
	return len(v) >= 2 && v[0] == '"' && bytes.IndexByte(v[1:len(v)-1], '\\') < 0 && utf8.Valid(v)
}

// methodName is name as a string, without a copy for the method clients
// call most.
func methodName(name []byte) string {
	if string(name) == string(mcp.MethodToolsCall) {
		return string(mcp.MethodToolsCall)
	}
	return string(name)
}

// PlainParams reports that m's params are an object with no "_meta"
// member, as encoding/json would read it (a key matching case-insensitively
// counts), without decoding them in the usual case.
func (m Message) PlainParams() bool {
	if len(m.Params) == 0 || m.Params[0] != '{' {
		return false
	}
	unsure := false
	members(m.Params, func(key, _ []byte) bool {
		unsure = bytes.ContainsRune(key, '\\') || bytes.EqualFold(key, []byte("_meta"))
		return !unsure
	})
	if !unsure {
		return true
	}
	var p struct {
		Meta json.RawMessage `json:"_meta"`
	}
	return json.Unmarshal(m.Params, &p) == nil && p.Meta == nil
}

// members calls fn with the key (as written, between its quotes) and the
// value of each member of obj, a valid JSON object, until fn returns
// false; it returns what fn last returned (true for an empty object), or
// false when obj is not an object.
func members(obj []byte, fn func(key, value []byte) bool) bool {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return false
	}
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return true
	}
	for i < len(obj) && obj[i] == '"' {
		end := stringEnd(obj, i)
		key := obj[i+1 : end-1]
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return false
		}
		i = skipSpace(obj, i+1)
		end = valueEnd(obj, i)
		if end <= i || !fn(key, obj[i:end]) {
			return false
		}
		i = skipSpace(obj, end)
		if i >= len(obj) {
			return false
		}
		if obj[i] == '}' {
			return true
		}
		if obj[i] != ',' {
			return false
		}
		i = skipSpace(obj, i+1)
	}
	return false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd is the index just past the string that starts at b[i] ('"').
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b) + 1 // unterminated: past the end, so callers stop
}

// valueEnd is the index just past the value that starts at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		if e := stringEnd(b, i); e <= len(b) {
			return e
		}
		return i // unterminated
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = stringEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return i
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j
}
