package logx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"codexpro.dev/pkg/redact"
)

// Redactor is an io.Writer for zerolog's JSON events. It rewrites every
// string of the event (message, fields, nested values) through
// redact.Field, keeping key order, and forwards one event per Write. A
// write that is not JSON is redacted as plain text.
type Redactor struct{ Next io.Writer }

// Write redacts one event and reports len(p) on success, as zerolog expects.
// An event redact.Plain vouches for is written as it is: decoding and
// re-encoding it would change nothing, and mcpd writes such a line for
// every request and tool call (BenchmarkToolCallLine).
func (r Redactor) Write(p []byte) (int, error) {
	out := p
	if !redact.Plain(p) {
		var err error
		if out, err = redactJSON(p); err != nil {
			out = []byte(redact.Text(string(p)))
		}
	}
	if _, err := r.Next.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

func redactJSON(p []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(p))
	dec.UseNumber()
	var buf bytes.Buffer
	if err := copyValue(dec, &buf, "", nil); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after log event")
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// copyValue re-encodes the next JSON value; key is the name of the field
// it belongs to, so Field can hide values of fields named like secrets, and
// args holds the preceding strings of the enclosing array, so an argv such
// as ["--token", X] hides X.
func copyValue(dec *json.Decoder, buf *bytes.Buffer, key string, args *[]string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		return copyContainer(dec, buf, key, t)
	case string:
		v := redact.Field(key, t)
		if args != nil {
			*args = append(*args, t)
			if len(*args) > 4 { // Args looks back at most 3 arguments
				*args = (*args)[1:]
			}
			if a := redact.Args(*args); a[len(a)-1] == redact.Placeholder {
				v = redact.Placeholder
			}
		}
		writeString(buf, v)
	case json.Number:
		buf.WriteString(t.String())
	case bool:
		fmt.Fprint(buf, t)
	case nil:
		buf.WriteString("null")
	}
	return nil
}

func copyContainer(dec *json.Decoder, buf *bytes.Buffer, key string, open json.Delim) error {
	isObject := open == '{'
	var args *[]string
	if !isObject {
		args = new([]string)
	}
	buf.WriteByte(byte(open))
	for i := 0; dec.More(); i++ {
		if i > 0 {
			buf.WriteByte(',')
		}
		if isObject {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			name, _ := tok.(string)
			writeString(buf, name)
			buf.WriteByte(':')
			key = name
		}
		if err := copyValue(dec, buf, key, args); err != nil {
			return err
		}
	}
	end, err := dec.Token()
	if err != nil {
		return err
	}
	buf.WriteByte(byte(end.(json.Delim)))
	return nil
}

func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode appends '\n'
}
