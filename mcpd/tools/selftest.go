package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"codexpro.dev/mcpd/skills"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/workspace"
)

type selfTestIn struct {
	toolkit.WorkspaceArg
	WriteProbe          *bool `json:"write_probe,omitempty" jsonschema:"Write and edit a probe file in the context dir (default true)"`
	BashProbe           *bool `json:"bash_probe,omitempty" jsonschema:"Run pwd, and check safe mode refuses ls $HOME (default true)"`
	ProContextProbe     *bool `json:"pro_context_probe,omitempty" jsonschema:"Build a Pro context bundle of the probe file in memory (default true)"`
	IncludeGlobalSkills *bool `json:"include_global_skills,omitempty" jsonschema:"Count user and plugin skills too (default true)"`
	MaxSkills           int   `json:"max_skills,omitempty" jsonschema:"Most skills to count (1 to 120; default 40)"`
}

type selfCheck struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
}

type termsBoundary struct {
	LocalWorkspaceBridge bool `json:"local_workspace_bridge"`
	ProvidesModels       bool `json:"provides_models"`
	ProxiesModelAccess   bool `json:"proxies_model_access"`
	BypassesQuotas       bool `json:"bypasses_quotas"`
	RemoteAgentExecution bool `json:"remote_agent_execution"`
}

type selfTestOut struct {
	WorkspaceID         string        `json:"workspace_id"`
	Root                string        `json:"root"`
	Status              string        `json:"status"`
	Passed              int           `json:"passed"`
	Warned              int           `json:"warned"`
	Failed              int           `json:"failed"`
	DurationMs          int64         `json:"duration_ms"`
	ExpectedTools       []string      `json:"expected_tools"`
	ExpectedToolCount   int           `json:"expected_tool_count"`
	RegisteredTools     []string      `json:"registered_tools"`
	RegisteredToolCount int           `json:"registered_tool_count"`
	BashMode            string        `json:"bash_mode"`
	BashSessionID       *string       `json:"bash_session_id"`
	RequireBashSession  bool          `json:"require_bash_session"`
	WriteMode           string        `json:"write_mode"`
	ToolMode            string        `json:"tool_mode"`
	FilesTouched        []string      `json:"files_touched"`
	Checks              []selfCheck   `json:"checks"`
	TermsBoundary       termsBoundary `json:"terms_boundary"`
}

const (
	selfTestFile   = "codexpro-self-test.md"
	termsStatement = "CodexPro is a local workspace bridge: it provides no models, proxies no model access, bypasses no quotas " +
		"and runs no agents remotely; tools act only on this machine's allowed folders."
)

// SelfTestTool checks that this server works as configured: its tool set,
// the write path, Pro context, the bash policy and git, and states the
// terms boundary. Its only writes are one probe file in the context dir.
func SelfTestTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "codexpro_self_test", Title: "CodexPro self-test", Kind: toolkit.HandoffWrite, Sets: toolkit.AllSets,
		Description: "Check this CodexPro server end to end: modes, advertised tools, skills and MCP inventory, git, a write/edit probe in the " +
			"context dir, a Pro context build, and the bash policy. Also states what CodexPro does not do (terms boundary).",
	}, selfTest)
}

type selfTester struct {
	e      *toolkit.Env
	w      *workspace.Workspace
	out    *selfTestOut
	probe  string // the probe file, once written
	ctxDir string
}

func selfTest(ctx context.Context, e *toolkit.Env, in selfTestIn) (selfTestOut, string, error) {
	start := time.Now()
	w := in.Workspace()
	maxSkills, err := intArg("max_skills", in.MaxSkills, 40, 1, 120)
	if err != nil {
		return selfTestOut{}, "", err
	}
	out := selfTestOut{WorkspaceID: w.ID, Root: w.Root, BashMode: e.Cfg.BashMode, RequireBashSession: e.Cfg.Bash.RequireSession,
		WriteMode: e.Cfg.WriteMode, ToolMode: e.Cfg.ToolMode, FilesTouched: []string{},
		TermsBoundary: termsBoundary{LocalWorkspaceBridge: true}}
	if e.Cfg.Bash.Session != "" {
		out.BashSessionID = &e.Cfg.Bash.Session
	}
	st := &selfTester{e: e, w: w, out: &out, ctxDir: e.Cfg.ContextDir}
	st.add("workspace", "pass", w.Root)
	st.modes()
	st.toolSet(ctx)
	st.inventory(boolArg(in.IncludeGlobalSkills, true), maxSkills)
	st.git(ctx)
	st.sandboxProbes(ctx)
	st.writeProbe(ctx, boolArg(in.WriteProbe, true))
	st.proContextProbe(ctx, boolArg(in.ProContextProbe, true))
	st.bashProbe(ctx, boolArg(in.BashProbe, true))
	st.add("terms boundary", "pass", termsStatement)
	out.DurationMs = time.Since(start).Milliseconds()
	out.Status = "pass"
	if out.Failed > 0 {
		out.Status = "fail"
	} else if out.Warned > 0 {
		out.Status = "warn"
	}
	return out, selfTestText(out), nil
}

func (s *selfTester) add(name, status, detail string) {
	if len(detail) > 260 {
		detail = cutUTF8(detail, 259) + "…"
	}
	s.out.Checks = append(s.out.Checks, selfCheck{name, status, detail})
	switch status {
	case "pass":
		s.out.Passed++
	case "warn":
		s.out.Warned++
	default:
		s.out.Failed++
	}
}

func (s *selfTester) modes() {
	c := s.e.Cfg
	s.add("tool mode", map[bool]string{true: "pass", false: "warn"}[c.ToolMode == "full"],
		fmt.Sprintf("tool mode %s; full mode advertises every tool", c.ToolMode))
	s.add("write mode", map[bool]string{true: "warn", false: "pass"}[c.WriteMode == "off"], "write mode "+c.WriteMode)
	s.add("bash mode", map[bool]string{true: "warn", false: "pass"}[c.BashMode == "full"], "bash mode "+c.BashMode)
	auth := "HTTP token configured and required"
	enabled, known := c.Public["authEnabled"].(bool)
	switch {
	case c.Public["transport"] == "stdio":
		auth = "stdio transport: no HTTP endpoint; the client started this process"
	case !known:
		auth = "transport auth not reported"
	case !enabled:
		auth = "HTTP auth disabled (--no-auth, loopback only)"
	}
	s.add("http auth", "pass", auth)
}

// toolSet compares the tools the running server registered with the ones
// the registration rules (Catalog.Visible) give for this configuration, so a
// server wired with the wrong set is caught. A call outside a server (a unit
// test calling the handler) has nothing registered to compare and says so.
func (s *selfTester) toolSet(ctx context.Context) {
	expected := toolkit.Names(All().Visible(s.e.Cfg))
	registered, detail := expected, "no server in this call; the rules give %d tools"
	if srv := server.ServerFromContext(ctx); srv != nil {
		registered, detail = registeredNames(srv), "%d tools registered, as the mode rules expect"
	}
	s.out.RegisteredTools, s.out.RegisteredToolCount = registered, len(registered)
	s.out.ExpectedTools, s.out.ExpectedToolCount = expected, len(expected)
	if missing, extra := diffNames(expected, registered), diffNames(registered, expected); len(missing)+len(extra) > 0 {
		s.add("registered tool set", "fail", fmt.Sprintf("missing: %s; unexpected: %s", strings.Join(missing, ", "), strings.Join(extra, ", ")))
		return
	}
	s.add("registered tool set", "pass", fmt.Sprintf(detail, len(registered)))
}

// registeredNames lists the server's tools in catalog order, unknown names last.
func registeredNames(srv *server.MCPServer) []string {
	reg := srv.ListTools()
	var out []string
	for _, t := range All() {
		if _, ok := reg[t.Name]; ok {
			out = append(out, t.Name)
			delete(reg, t.Name)
		}
	}
	rest := make([]string, 0, len(reg))
	for name := range reg {
		rest = append(rest, name)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func (s *selfTester) inventory(global bool, max int) {
	all, _ := skills.Discover(s.w, skillDirs(s.e), global, max)
	servers := mcpServers(s.e, s.w, global)
	s.add("inventory", "pass", fmt.Sprintf("%d skills, %d MCP servers (names only)", len(skills.Active(all)), len(servers)))
}

func (s *selfTester) git(ctx context.Context) {
	if _, err := gitRepo(s.e, s.w).Status(ctx, "."); err != nil {
		s.add("git status", "warn", "git status failed: "+err.Error())
		return
	}
	s.add("git status", "pass", "git status works in the workspace")
}

// writeProbe writes, edits and reads back a probe file in the context dir
// through the real write and edit tools, so their guards run too.
func (s *selfTester) writeProbe(ctx context.Context, on bool) {
	if !on || s.e.Cfg.WriteMode == "off" {
		s.add("write/edit probe", "warn", "skipped: "+map[bool]string{true: "write_probe=false", false: "CODEXPRO_WRITE_MODE=off"}[!on])
		return
	}
	rel := bridge.Rel(s.ctxDir, selfTestFile)
	contextDir(s.e, s.w.Root, s.w.LinkFree())
	steps := []struct {
		tool string
		args map[string]any
	}{
		{"write", map[string]any{"path": rel, "content": "# CodexPro self-test\n\nmarker: before\n"}},
		{"edit", map[string]any{"path": rel, "old_text": "marker: before", "new_text": "marker: after", "expected_replacements": 1}},
	}
	for _, st := range steps {
		if res := s.call(ctx, st.tool, st.args); res.IsError {
			s.add("write/edit probe", "fail", st.tool+" failed: "+toolkit.ResultText(res))
			return
		}
	}
	s.out.FilesTouched = append(s.out.FilesTouched, rel)
	data, _, err := s.w.ReadFile(rel, 4096)
	if err != nil || !strings.Contains(string(data), "marker: after") {
		s.add("write/edit probe", "fail", fmt.Sprintf("read-back of %s did not show the edit (%v)", rel, err))
		return
	}
	s.probe = rel
	detail := "wrote, edited and read back " + rel
	if st, err := gitRepo(s.e, s.w).Status(ctx, rel); err == nil {
		detail += "; git status: " + strings.Join(st.Lines(), " ")
	}
	s.add("write/edit probe", "pass", detail)
}

// call runs a tool of the catalog by name. The write probe uses the write
// tools even where the mode hides them (handoff mode): their own gate still
// confines them to the context dir.
func (s *selfTester) call(ctx context.Context, name string, args map[string]any) *mcp.CallToolResult {
	for _, t := range All() {
		if t.Name == name {
			return toolkit.Call(ctx, s.e, t, args)
		}
	}
	return mcp.NewToolResultError("tool " + name + " is not built into this server")
}

func (s *selfTester) proContextProbe(ctx context.Context, on bool) {
	if !on || s.probe == "" {
		s.add("selected-only pro context", "warn", "skipped: no probe file (write probe off or failed)")
		return
	}
	b := buildProContext(ctx, s.e, s.w, proOptions{title: "Self-test", selected: []string{s.probe}, depth: 1, maxFiles: 4,
		fileBytes: 4096, totalBytes: 80_000})
	if len(b.included) != 1 || b.included[0] != s.probe {
		s.add("selected-only pro context", "fail", fmt.Sprintf("bundle included %v, want only %s", b.included, s.probe))
		return
	}
	s.add("selected-only pro context", "pass", fmt.Sprintf("bundle of %d bytes with exactly %s", len(b.text), s.probe))
}

func (s *selfTester) bashProbe(ctx context.Context, on bool) {
	mode := s.e.Cfg.BashMode
	switch {
	case !on:
		s.add("bash policy", "warn", "skipped: bash_probe=false")
		return
	case mode == "off":
		s.add("bash policy", "warn", "bash is off (CODEXPRO_BASH_MODE=off)")
		return
	}
	args := map[string]any{"command": "pwd", "timeout_ms": 10_000}
	if sid := s.e.Cfg.Bash.Session; sid != "" {
		args["session_id"] = sid
	}
	if res := s.call(ctx, "bash", args); res.IsError || exitCode(res) != 0 {
		s.add("bash policy", "fail", "pwd failed: "+toolkit.ResultText(res))
		return
	}
	if mode == "full" {
		s.add("bash policy", "warn", "bash full mode runs any command; pwd works")
		return
	}
	args["command"] = "ls $HOME"
	if res := s.call(ctx, "bash", args); !res.IsError {
		s.add("bash policy", "fail", "safe mode did not refuse `ls $HOME`")
		return
	}
	s.add("bash policy", "pass", "pwd works; safe mode refuses `ls $HOME`")
}

func exitCode(res *mcp.CallToolResult) float64 {
	if m, ok := res.StructuredContent.(map[string]any); ok {
		if c, ok := m["exitCode"].(float64); ok {
			return c
		}
		if c, ok := m["exitCode"].(int); ok {
			return float64(c)
		}
	}
	return 0
}

func diffNames(a, b []string) []string {
	in := map[string]bool{}
	for _, n := range b {
		in[n] = true
	}
	var out []string
	for _, n := range a {
		if !in[n] {
			out = append(out, n)
		}
	}
	return out
}

func selfTestText(o selfTestOut) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# CodexPro Self-Test\n\nStatus: %s (%d passed, %d warned, %d failed) in %d ms\nWorkspace: %s\nModes: tool=%s, bash=%s, write=%s\n\n",
		strings.ToUpper(o.Status), o.Passed, o.Warned, o.Failed, o.DurationMs, o.Root, o.ToolMode, o.BashMode, o.WriteMode)
	for _, c := range o.Checks {
		fmt.Fprintf(&b, "- [%s] %s: %s\n", c.Status, c.Name, c.Detail)
	}
	b.WriteString("\n## Terms boundary\n\n" + termsStatement)
	return b.String()
}
