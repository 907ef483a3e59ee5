package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/mark3labs/mcp-go/mcp"
)

// Message is what a transport reads of one incoming JSON-RPC message before
// mcp-go sees it. mcp-go decodes the id into an `any` (a float64 for a
// number, so 2^53+1 comes back as 2^53) and treats "id":null as a
// notification that gets no answer; the transports keep the id as sent and
// refuse what JSON-RPC 2.0 calls an invalid request themselves.
type Message struct {
	ID     json.RawMessage // as sent, compacted; nil when absent
	Method string
	Params json.RawMessage
}

// IsRequest reports whether m expects an answer.
func (m Message) IsRequest() bool { return m.Method != "" && m.ID != nil }

// Inspect reads one message (not a batch). A message mcp-go must not see
// comes back as the error answer to send instead: -32700 when it is not
// JSON, -32600 when it is JSON but no valid request, notification or
// response (a non-object, a wrong "jsonrpc", a null or non-scalar id, a
// non-string method), -32602 when params are neither object nor array.
// The Message may refer into raw, which must not change while it is used.
func Inspect(raw []byte) (Message, *mcp.JSONRPCError) {
	raw = bytes.TrimSpace(raw)
	if m, ok := inspectPlain(raw); ok {
		return m, nil
	}
	return inspectDecoded(raw)
}

// inspectDecoded is Inspect through encoding/json, for every message.
func inspectDecoded(raw []byte) (Message, *mcp.JSONRPCError) {
	var env struct {
		JSONRPC *string         `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Method  json.RawMessage `json:"method"`
		Params  json.RawMessage `json:"params"`
		Result  json.RawMessage `json:"result"`
		Error   json.RawMessage `json:"error"`
	}
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &env) != nil {
		// Only now tell bad JSON from JSON of the wrong shape: the scan
		// costs a pass over the message, which a good one never needs.
		if !json.Valid(raw) {
			return Message{}, Refusal(nil, mcp.PARSE_ERROR, "Parse error: the message is not valid JSON")
		}
		return Message{}, Refusal(nil, mcp.INVALID_REQUEST, "Invalid Request: a JSON-RPC message must be a JSON object with string jsonrpc and method members")
	}
	var m Message
	if env.ID != nil {
		switch env.ID[0] {
		case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			m.ID = compact(env.ID)
		default: // null, true, false, an object or an array
			return Message{}, Refusal(nil, mcp.INVALID_REQUEST, "Invalid Request: id must be a string or a number, not "+kind(env.ID))
		}
	}
	if env.JSONRPC == nil || *env.JSONRPC != mcp.JSONRPC_VERSION {
		return Message{}, Refusal(m.ID, mcp.INVALID_REQUEST, `Invalid Request: "jsonrpc" must be "2.0"`)
	}
	if env.Method != nil {
		if json.Unmarshal(env.Method, &m.Method) != nil || m.Method == "" {
			return Message{}, Refusal(m.ID, mcp.INVALID_REQUEST, "Invalid Request: method must be a non-empty string")
		}
	} else if env.Result == nil && env.Error == nil {
		return Message{}, Refusal(m.ID, mcp.INVALID_REQUEST, "Invalid Request: a message needs a method (or, as a response, a result or error)")
	}
	if env.Params != nil && string(env.Params) != "null" && m.Method != "" {
		if c := env.Params[0]; c != '{' && c != '[' {
			return Message{}, Refusal(m.ID, mcp.INVALID_PARAMS, "Invalid params: params must be an object, not "+kind(env.Params))
		}
		m.Params = env.Params
	}
	return m, nil
}

// Refusal is an error answer for id (nil: "id":null) that echoes the id as
// sent.
func Refusal(id json.RawMessage, code int, msg string) *mcp.JSONRPCError {
	e := mcp.NewJSONRPCError(RawID(id), code, msg, nil)
	return &e
}

// RawID is a request id that encodes as the bytes the client sent; nil is
// "id":null.
func RawID(id json.RawMessage) mcp.RequestId {
	if id == nil {
		return mcp.NewRequestId(nil)
	}
	return mcp.NewRequestId(id)
}

// Finish makes mcp-go's answer to m say what JSON-RPC requires: the id
// exactly as the client sent it, and -32602 (not -32600) when the request
// was well formed but its params do not decode into what the method takes.
func Finish(m Message, raw []byte, resp mcp.JSONRPCMessage) mcp.JSONRPCMessage {
	if m.ID == nil {
		return resp
	}
	switch r := resp.(type) {
	case mcp.JSONRPCResponse:
		r.ID = RawID(m.ID)
		return r
	case mcp.JSONRPCError:
		r.ID = RawID(m.ID)
		if r.Error.Code == mcp.INVALID_REQUEST {
			if err := ParamsError(m.Method, raw); err != nil {
				r.Error = mcp.NewJSONRPCErrorDetails(mcp.INVALID_PARAMS, err.Error(), nil)
			}
		}
		return r
	}
	return resp
}

// AnswerLine is Line(dst, Finish(m, raw, resp)). A tool result's answer is
// written with m's id as it goes, instead of being copied to carry the id
// first (two allocations on every call).
func AnswerLine(dst []byte, m Message, raw []byte, resp mcp.JSONRPCMessage) ([]byte, error) {
	if r, ok := resp.(mcp.JSONRPCResponse); ok && m.ID != nil {
		if res := directToolResult(r.Result); res != nil {
			out := append(slices.Grow(dst, encodedSize(res)), `{"jsonrpc":"2.0","id":`...)
			if out, err := appendToolResult(append(out, m.ID...), res); err == nil {
				return append(out, '\n'), nil
			}
		}
	}
	return Line(dst, Finish(m, raw, resp))
}

// ParamsError reports whether raw, a request for method, has params that
// do not decode into the request type mcp-go decodes that method into
// (mcp-go answers those with -32600). Methods it does not know are nil.
func ParamsError(method string, raw []byte) error {
	newReq, ok := requestTypes[method]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, newReq()); err != nil {
		return fmt.Errorf("Invalid params for %s: %s", method, bytes.TrimPrefix([]byte(err.Error()), []byte("json: ")))
	}
	return nil
}

// requestTypes are the request types mcp-go decodes each method into.
var requestTypes = map[string]func() any{
	string(mcp.MethodInitialize):             func() any { return new(mcp.InitializeRequest) },
	string(mcp.MethodPing):                   func() any { return new(mcp.PingRequest) },
	string(mcp.MethodToolsList):              func() any { return new(mcp.ListToolsRequest) },
	string(mcp.MethodToolsCall):              func() any { return new(mcp.CallToolRequest) },
	string(mcp.MethodResourcesList):          func() any { return new(mcp.ListResourcesRequest) },
	string(mcp.MethodResourcesTemplatesList): func() any { return new(mcp.ListResourceTemplatesRequest) },
	string(mcp.MethodResourcesRead):          func() any { return new(mcp.ReadResourceRequest) },
	string(mcp.MethodPromptsList):            func() any { return new(mcp.ListPromptsRequest) },
	string(mcp.MethodPromptsGet):             func() any { return new(mcp.GetPromptRequest) },
	string(mcp.MethodSetLogLevel):            func() any { return new(mcp.SetLevelRequest) },
	string(mcp.MethodCompletionComplete):     func() any { return new(mcp.CompleteRequest) },
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// kind names a JSON value's type for an error message.
func kind(raw []byte) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
