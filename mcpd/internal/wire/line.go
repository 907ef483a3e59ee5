package wire

import (
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
)

// Line appends msg and a newline, as both transports send a message. A
// response whose result cannot be encoded becomes an internal error for
// the same request, so the client is not left waiting; the encoding error
// is returned for the log. Anything else that cannot be encoded appends
// nothing.
func Line(dst []byte, msg mcp.JSONRPCMessage) ([]byte, error) {
	out, err := appendAnswer(dst, msg)
	if len(out) == len(dst) {
		return dst, err
	}
	return append(out, '\n'), err
}

// appendAnswer is AppendMessage with Line's fallback for a response that
// cannot be encoded.
func appendAnswer(dst []byte, msg mcp.JSONRPCMessage) ([]byte, error) {
	out, err := AppendMessage(dst, msg)
	if err != nil {
		resp, ok := msg.(mcp.JSONRPCResponse)
		if !ok {
			return dst, err
		}
		out, _ = AppendMessage(dst, mcp.NewJSONRPCError(resp.ID, mcp.INTERNAL_ERROR, "the result could not be encoded", nil))
	}
	return out, err
}

// Buffers lends encode buffers for reuse: a read's answer is a fresh
// 10-20 KB otherwise, on every call.
type Buffers struct{ pool sync.Pool }

func (b *Buffers) Get() *[]byte {
	if p, ok := b.pool.Get().(*[]byte); ok {
		return p
	}
	return new([]byte)
}

// Put keeps buf for the next message, unless it is a rare huge one.
func (b *Buffers) Put(p *[]byte, buf []byte) {
	if cap(buf) <= 256<<10 {
		*p = buf[:0]
		b.pool.Put(p)
	}
}
