// Package tools holds mcpd's MCP tools: each tool's handler in a file named
// after its domain, beside its tests, and the small framework that defines,
// advertises and calls them (Define, Catalog.Visible, Call).
//
// To add a tool:
//  1. Write its input type (embed WorkspaceArg first if it works in a
//     workspace) and its output type; the JSON schemas come from them.
//  2. Write a constructor returning Define(Spec{Name, Title, Description,
//     Kind, Sets, Traits}, handler): Kind says what it may change, Traits
//     where else it is hidden or shown (see Traits); no name list elsewhere.
//  3. Add the constructor to build() in catalog.go, at its tools/list place.
//  4. Say what it does in toolEffects (registry_test.go).
//  5. Run UPDATE_TOOLSNAPS=1 go test ./tools/ and review the new snapshots.
package tools
