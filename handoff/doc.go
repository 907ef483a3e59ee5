// Package handoff runs a local coding agent on the plan ChatGPT wrote to
// .ai-bridge/current-plan.md: once (Execute), whenever the plan changes
// (Watch), or in a loop with tests and a reviewer until the reviewer passes
// the work (Loop). Agents run through adapter plugins (hashicorp/go-plugin
// over gRPC) or a custom argv template; never through a shell.
package handoff
