// Package bridge defines the files of the .ai-bridge context directory that
// mcpd (the MCP tools) and handoff (the local agent runner) share: their
// names, their formats, and the few rules both sides must agree on, such as
// which context directories are allowed and how a plan is hashed.
//
// The package does no file I/O of its own beyond the small Reader and Writer
// interfaces, so each side brings its own guard: mcpd passes its workspace,
// handoff its own os.Root-backed writer.
package bridge
