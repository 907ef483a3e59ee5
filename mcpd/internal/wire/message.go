// Package wire writes MCP messages as JSON, the large ones without
// encoding/json's second pass.
package wire

import (
	"encoding/json"
	"slices"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
)

// AppendMessage appends msg as encoding/json would write it. A tool result,
// by far the largest message (a read's whole text), is written directly:
// mcp-go marshals a CallToolResult through a map and encoding/json then
// re-scans the bytes it got back, about half the CPU of a read. Everything
// else, and any tool result with a field the direct path does not write,
// goes through encoding/json. FuzzAppendMessage holds the two byte-identical.
//
// An id the transport kept as sent (RawID) is written as those bytes:
// encoding/json would escape <, > and & inside a string id.
func AppendMessage(dst []byte, msg mcp.JSONRPCMessage) ([]byte, error) {
	switch m := msg.(type) {
	case mcp.JSONRPCResponse:
		if res := directToolResult(m.Result); res != nil {
			return appendToolResponse(dst, m.ID, res)
		}
		if raw, ok := m.ID.Value().(json.RawMessage); ok {
			return appendEnvelope(dst, m.JSONRPC, raw, `,"result":`, m.Result)
		}
	case mcp.JSONRPCError:
		if raw, ok := m.ID.Value().(json.RawMessage); ok {
			return appendEnvelope(dst, m.JSONRPC, raw, `,"error":`, m.Error)
		}
	}
	b, err := json.Marshal(msg)
	return append(dst, b...), err
}

// appendEnvelope writes a response or error with the id as sent, the body
// as encoding/json writes it.
func appendEnvelope(dst []byte, version string, id json.RawMessage, key string, body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return dst, err
	}
	dst = appendString(append(dst, `{"jsonrpc":`...), version)
	dst = append(append(append(append(dst, `,"id":`...), id...), key...), b...)
	return append(dst, '}'), nil
}

// appendID writes a request id: as sent when the transport kept it
// (RawID), else as encoding/json does.
func appendID(dst []byte, id mcp.RequestId) ([]byte, error) {
	if raw, ok := id.Value().(json.RawMessage); ok {
		return append(dst, raw...), nil
	}
	b, err := json.Marshal(id)
	return append(dst, b...), err
}

// directToolResult returns result when it is a tool result made only of
// what appendToolResponse writes: text content, structured content, the
// error flag and the result type.
func directToolResult(result any) *mcp.CallToolResult {
	res, ok := result.(*mcp.CallToolResult)
	if !ok || res == nil || res.Meta != nil || len(res.InputRequests) > 0 || res.RequestState != "" {
		return nil
	}
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); !ok || tc.Annotations != nil || tc.Meta != nil {
			return nil
		}
	}
	return res
}

// appendToolResponse writes the keys in the order encoding/json gives
// CallToolResult.MarshalJSON's map: content, isError, resultType,
// structuredContent.
func appendToolResponse(dst []byte, id mcp.RequestId, res *mcp.CallToolResult) ([]byte, error) {
	dst, err := appendID(append(slices.Grow(dst, encodedSize(res)), `{"jsonrpc":"2.0","id":`...), id)
	if err != nil {
		return dst, err
	}
	return appendToolResult(dst, res)
}

// appendToolResult writes the rest of appendToolResponse's answer after
// its id.
func appendToolResult(dst []byte, res *mcp.CallToolResult) ([]byte, error) {
	dst = append(dst, `,"result":{"content":[`...)
	for i, c := range res.Content {
		tc := c.(mcp.TextContent)
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(append(dst, `{"type":`...), tc.Type)
		dst = append(appendString(append(dst, `,"text":`...), tc.Text), '}')
	}
	dst = append(dst, ']')
	if res.IsError {
		dst = append(dst, `,"isError":true`...)
	}
	if res.ResultType != "" {
		dst = appendString(append(dst, `,"resultType":`...), string(res.ResultType))
	}
	if structured, err := structuredJSON(res); err != nil {
		return dst, err
	} else if structured != nil {
		dst = append(append(dst, `,"structuredContent":`...), structured...)
	}
	return append(dst, "}}"...), nil
}

// encodedSize is enough room for res unless its text needs many escapes,
// so a read's answer is written without growing the buffer on the way.
func encodedSize(res *mcp.CallToolResult) int {
	n := 256 + len(res.RawStructuredContent)
	for _, c := range res.Content {
		n += len(c.(mcp.TextContent).Text) * 9 / 8
	}
	return n
}

// structuredJSON is the structured content as encoding/json writes it: a
// raw message is validated and compacted (it is small), a value encoded.
func structuredJSON(res *mcp.CallToolResult) ([]byte, error) {
	switch {
	case len(res.RawStructuredContent) > 0:
		return json.Marshal(res.RawStructuredContent)
	case res.StructuredContent != nil:
		return json.Marshal(res.StructuredContent)
	}
	return nil, nil
}

// appendString writes s as a JSON string escaped exactly as encoding/json
// escapes it (HTML characters, U+2028 and U+2029 included; invalid UTF-8
// becomes U+FFFD), copying runs of bytes that need nothing.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if plain[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default: // other control bytes and <, >, &
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(dst, s[start:]...), '"')
}

// plain marks the ASCII bytes a JSON string holds as they are.
var plain = func() (t [utf8.RuneSelf]bool) {
	for b := range t {
		t[b] = b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()
