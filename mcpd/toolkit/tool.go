package toolkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Tool is one MCP tool: its descriptor, where it is advertised, and its handler.
type Tool struct {
	Name   string
	Title  string
	Kind   Kind
	Sets   Sets
	Traits Traits
	Def    mcp.Tool
	run    func(ctx context.Context, e *Env, args map[string]any) (any, string, error)
	extra  func(*mcp.CallToolResult, any) // adds non-text content (images)
	// derive rebuilds the input and output schemas by reflection, bypassing
	// the start-up cache, so the cache can be checked and regenerated.
	derive func() (in, out schemaEntry)
}

// Sets says in which tool modes a tool is advertised.
type Sets uint8

const (
	Minimal Sets = 1 << iota
	Standard
	Full
	AllSets = Minimal | Standard | Full
)

// Spec describes a tool for Define.
type Spec struct {
	Name, Title, Description string
	Kind                     Kind
	Sets                     Sets
	Traits                   Traits
}

// Define builds a Tool whose input and output schemas come from the Go types
// I and O. An input that embeds WorkspaceArg has its workspace resolved
// before the handler runs. The handler returns the structured result and a readable text
// rendering; every result also carries codexpro_tool and codexpro_title.
func Define[I, O any](s Spec, h func(ctx context.Context, e *Env, in I) (O, string, error)) Tool {
	def := mcp.NewTool(s.Name,
		mcp.WithDescription(s.Description),
		mcp.WithToolAnnotation(s.Kind.annotation(s.Title)),
		mcp.WithRawInputSchema(cachedSchema[I](false)),
		mcp.WithRawOutputSchema(cachedSchema[O](true)),
	)
	def.Title = s.Title
	def.InputSchema.Type = "" // the raw schema replaces NewTool's default
	run := func(ctx context.Context, e *Env, args map[string]any) (any, string, error) {
		var in I
		if err := bind(args, &in); err != nil {
			return nil, "", UserErrorf("Invalid arguments for %s: %v", s.Name, err)
		}
		if err := resolveWorkspace(ctx, e, &in); err != nil {
			return nil, "", err
		}
		return h(ctx, e, in)
	}
	derive := func() (in, out schemaEntry) {
		return schemaEntry{schemaKey[I](false), mustSchema[I](false)}, schemaEntry{schemaKey[O](true), mustSchema[O](true)}
	}
	return Tool{Name: s.Name, Title: s.Title, Kind: s.Kind, Sets: s.Sets, Traits: s.Traits, Def: def, run: run, derive: derive}
}

// WithContent returns t with add attached: after a successful call add
// appends non-text content (an image) built from the handler's typed result,
// so bulky bytes never pass through the structured JSON.
func WithContent[O any](t Tool, add func(res *mcp.CallToolResult, out O)) Tool {
	t.extra = func(res *mcp.CallToolResult, v any) {
		if out, ok := v.(O); ok {
			add(res, out)
		}
	}
	return t
}

// bind decodes arguments strictly: an unknown argument name is an error that
// lists the valid ones, so a model that guessed a name can correct itself.
func bind(args map[string]any, dst any) error {
	raw, err := json.Marshal(args)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "json: ")
		if strings.HasPrefix(msg, "unknown field") {
			msg += "; valid arguments: " + strings.Join(fieldNames(dst), ", ")
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

func fieldNames(v any) []string {
	s, err := jsonschema.ForType(reflect.TypeOf(v).Elem(), &jsonschema.ForOptions{IgnoreInvalidTypes: true})
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// mustSchema derives a JSON schema from T; output schemas also list the two
// tag fields every result carries. A type that cannot be described is a
// programming error caught by the schema snapshot test at once.
func mustSchema[T any](output bool) json.RawMessage {
	s, err := jsonschema.For[T](&jsonschema.ForOptions{IgnoreInvalidTypes: true})
	if err != nil {
		panic(fmt.Sprintf("schema for %T: %v", *new(T), err))
	}
	s.Type, s.Types = "object", nil
	if s.Properties == nil {
		s.Properties = map[string]*jsonschema.Schema{}
	}
	if output {
		for _, k := range []string{"codexpro_tool", "codexpro_title"} {
			s.Properties[k] = &jsonschema.Schema{Type: "string"}
			s.Required = append(s.Required, k)
		}
	}
	raw, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return raw
}

// Register adds the tools to s, wrapping each handler with tagging,
// redaction, error conversion and a log line.
func Register(s *server.MCPServer, e *Env, ts []Tool) {
	for _, t := range ts {
		s.AddTool(t.Def, handler(e, t))
	}
}

func handler(e *Env, t Tool) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		start := time.Now()
		var res *mcp.CallToolResult
		if _, isObject := req.Params.Arguments.(map[string]any); req.Params.Arguments != nil && !isObject {
			// A string or array would otherwise bind as "no arguments".
			res = errorResult(e, UserErrorf("Invalid arguments for %s: arguments must be a JSON object", t.Name))
		} else {
			res = Call(ctx, e, t, req.GetArguments())
		}
		// Every failure is logged; successful calls only on request
		// (CODEXPRO_LOG_REQUESTS=1, as CodexPro 0.30 does): a line per call is
		// a write per call.
		switch {
		case res.IsError:
			e.Log.Warn().Str("tool", t.Name).Bool("is_error", true).Dur("took", time.Since(start)).Msg("tool call")
		case e.LogCalls:
			e.Log.Info().Str("tool", t.Name).Bool("is_error", false).Dur("took", time.Since(start)).Msg("tool call")
		}
		return res, nil
	}
}

// Call runs a tool and builds its MCP result. The supertool uses it too, so
// both paths tag and redact the same way. The structured result is encoded
// here, once, already redacted: mcp-go then copies the bytes instead of
// walking a generic map again.
func Call(ctx context.Context, e *Env, t Tool, args map[string]any) *mcp.CallToolResult {
	if args == nil {
		args = map[string]any{}
	}
	out, text, err := t.run(ctx, e, args)
	if err != nil {
		return errorResult(e, err)
	}
	structured, err := e.Redact.Marshal(out)
	if err != nil {
		return errorResult(e, fmt.Errorf("encode the %s result: %w", t.Name, err))
	}
	res := &mcp.CallToolResult{
		Content:              []mcp.Content{mcp.NewTextContent(e.Redact.Text(text))},
		RawStructuredContent: tag(structured, t),
	}
	if t.extra != nil {
		t.extra(res, out)
	}
	return res
}

// ResultText joins the text parts of a result (there is normally one).
func ResultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// errorResult carries the message as text only: clients such as the MCP
// Inspector validate any structured content against the output schema,
// even on an error, and an error has none of the schema's fields.
func errorResult(e *Env, err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(e.Redact.Text("CodexProError: " + err.Error()))
}

// tag adds codexpro_tool and codexpro_title to an encoded structured
// result. An object gets them appended in place; anything else (or an
// object that already has either key) is replaced by or merged into a
// generic object, so the keys always appear exactly once.
func tag(raw json.RawMessage, t Tool) json.RawMessage {
	name, _ := json.Marshal(t.Name)
	title, _ := json.Marshal(t.Title)
	body := bytes.TrimSpace(raw)
	if len(body) >= 2 && body[0] == '{' && body[len(body)-1] == '}' &&
		!bytes.Contains(body, []byte(`"codexpro_tool"`)) && !bytes.Contains(body, []byte(`"codexpro_title"`)) {
		out := make([]byte, 0, len(body)+len(name)+len(title)+40)
		out = append(out, body[:len(body)-1]...)
		if len(bytes.TrimSpace(body[1:len(body)-1])) > 0 {
			out = append(out, ',')
		}
		out = append(out, `"codexpro_tool":`...)
		out = append(out, name...)
		out = append(out, `,"codexpro_title":`...)
		out = append(out, title...)
		return append(out, '}')
	}
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m == nil { // not an object, or null
		m = map[string]any{}
	}
	m["codexpro_tool"] = t.Name
	m["codexpro_title"] = t.Title
	merged, _ := json.Marshal(m)
	return merged
}
