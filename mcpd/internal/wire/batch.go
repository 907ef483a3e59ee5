package wire

import (
	"bytes"
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
)

// IsBatch reports whether raw is a JSON array: a JSON-RPC batch, which
// mcp-go cannot decode at all (it answers -32700).
func IsBatch(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '['
}

// BatchesAllowed reports whether protocol revision version takes JSON-RPC
// batches: only 2025-03-26 does; 2025-06-18 removed them.
func BatchesAllowed(version string) bool { return version == mcp.ProtocolVersion20250326 }

// ServeBatch answers a batch for a session on protocol revision version.
// Where batches are allowed, each message is checked and served in order
// by serve, and the answers come back in a list (empty when the batch held
// only notifications and responses). Otherwise, and for an empty or
// unreadable batch, the one error answer comes back instead.
func ServeBatch(raw []byte, version string, serve func(m Message, raw []byte) mcp.JSONRPCMessage) ([]mcp.JSONRPCMessage, *mcp.JSONRPCError) {
	var msgs []json.RawMessage
	if err := json.Unmarshal(raw, &msgs); err != nil {
		return nil, Refusal(nil, mcp.PARSE_ERROR, "Parse error: the batch is not valid JSON")
	}
	if len(msgs) == 0 {
		return nil, Refusal(nil, mcp.INVALID_REQUEST, "Invalid Request: an empty batch")
	}
	if !BatchesAllowed(version) {
		if version == "" {
			version = "before initialize"
		}
		return nil, Refusal(nil, mcp.INVALID_REQUEST, "Invalid Request: JSON-RPC batches are only part of MCP revision "+
			mcp.ProtocolVersion20250326+" (this session: "+version+"); send one message at a time")
	}
	var answers []mcp.JSONRPCMessage
	for _, one := range msgs {
		m, refusal := Inspect(one)
		switch {
		case refusal != nil:
			answers = append(answers, *refusal)
		case m.Method == string(mcp.MethodInitialize):
			answers = append(answers, *Refusal(m.ID, mcp.INVALID_REQUEST, "Invalid Request: initialize must not be part of a batch"))
		default:
			if resp := serve(m, one); resp != nil {
				answers = append(answers, resp)
			}
		}
	}
	return answers, nil
}

// BatchLine appends answers as one JSON array and a newline. An answer
// that cannot be encoded is replaced as Line replaces it; the first
// encoding error is returned for the log.
func BatchLine(dst []byte, answers []mcp.JSONRPCMessage) ([]byte, error) {
	var first error
	dst = append(dst, '[')
	start := len(dst)
	for _, a := range answers {
		n := len(dst)
		if n > start {
			dst = append(dst, ',')
		}
		out, err := appendAnswer(dst, a)
		if err != nil && first == nil {
			first = err
		}
		if len(out) == len(dst) { // nothing written: drop the comma again
			out = dst[:n]
		}
		dst = out
	}
	return append(dst, ']', '\n'), first
}
