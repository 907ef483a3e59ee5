// Package tools holds mcpd's MCP tool handlers, each in a file named after
// its domain beside its tests, and All, the list of every tool. The
// framework they are declared with (Define, Env, Catalog.Visible, Call) is
// mcpd/toolkit; the engines behind them are mcpd/search, mcpd/analysis,
// mcpd/codexsessions, mcpd/skills and mcpd/importnet.
//
// To add a tool:
//  1. Write its input type (embed toolkit.WorkspaceArg first if it works in
//     a workspace) and its output type; the JSON schemas come from them.
//  2. Write a constructor returning toolkit.Define(toolkit.Spec{Name, Title,
//     Description, Kind, Sets, Traits}, handler): Kind says what it may
//     change, Traits where else it is hidden or shown; no name list elsewhere.
//  3. Add the constructor to build() in catalog.go, at its tools/list place.
//  4. Say what it does in toolEffects (registry_test.go).
//  5. Run UPDATE_TOOLSNAPS=1 go test ./tools/ ./toolkit/ and review the new
//     snapshots and schema cache.
package tools
