// Package toolkit is the framework mcpd's tools are built on: a tool's
// declaration (Define, Spec, Kind, Sets, Traits), the environment every
// handler reaches (Env, Config, WorkspaceArg, State), the visibility rules
// (Catalog.Visible) and tools/list order, the call path every result takes
// (Call: tagging, redaction, error conversion), the generated schema cache
// and the tool card widget. The handlers and the list of every tool live in
// mcpd/tools; this package names none of them.
//
// It guarantees: a tool's MCP annotations follow from its Kind alone;
// where a tool is advertised follows from its Kind, Sets and Traits alone
// (no name lists); arguments are decoded strictly (an unknown name is an
// error naming the valid ones); every result and error passes the Env's
// Redactor, and every structured result carries codexpro_tool and
// codexpro_title exactly once; a cached schema is served only for a type
// whose fingerprint it was generated from.
package toolkit
