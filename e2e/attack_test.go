package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// attackCall is one hostile MCP tool call and a substring of the refusal
// text it must get (the result must also be an isError result).
type attackCall struct {
	name string
	call call
	want string
}

// attackFixture is a writable git workspace (ws) with a scratch area,
// planted secrets and symlinks made to point out of it, beside an outside
// directory that nothing may read or change.
type attackFixture struct {
	Base, Root, Outside string
}

func newAttackFixture(t *testing.T) attackFixture {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fx := attackFixture{Base: base, Root: filepath.Join(base, "ws"), Outside: filepath.Join(base, "outside")}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(writeFiles(fx.Outside, map[string]string{"secret.txt": outsideCanary + "\n", "README.md": "outside root\n"}))
	must(writeFiles(fx.Root, map[string]string{
		"README.md":         "# attack fixture\nroot\n",
		"src/app.go":        "package app\n",
		".env":              "OPENAI_API_KEY=" + plantedOpenAIKey + "\n",
		"id_rsa":            "-----BEGIN OPENSSH PRIVATE KEY-----\n" + plantedKeyBody + "\n-----END OPENSSH PRIVATE KEY-----\n",
		"node_modules/x.js": "module.exports = 1 // root\n",
		"scratch/keep.txt":  "scratch\n",
		"..data/info.txt":   dotDataCanary + "\n",
	}))
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "attack fixture"}} {
		must(git(fx.Root, args...))
	}
	links := map[string]string{
		"link-out-file":     filepath.Join(fx.Outside, "secret.txt"),
		"link-out-dir":      fx.Outside,
		"link-rel-out":      "../outside/secret.txt",
		"link-chain":        "link-out-dir",
		"link-root":         "/",
		"link-dotdot":       "..",
		"link-proc":         "/proc/self/root",
		"link-env":          ".env",
		"link-git":          ".git",
		"link-loop-a":       "link-loop-b",
		"link-loop-b":       "link-loop-a",
		"link-dangling-out": filepath.Join(fx.Outside, "new.txt"),
		"link-dangling-env": ".env.local",
		"scratch/link-up":   "../../outside",
	}
	for name, target := range links {
		must(os.Symlink(target, filepath.Join(fx.Root, name)))
	}
	return fx
}

// snapshot hashes everything under the fixture's base except the scratch
// area, plus system files the corpus names, without following symlinks.
func (fx attackFixture) snapshot(t *testing.T) map[string]string {
	t.Helper()
	scratch := filepath.Join(fx.Root, "scratch")
	snap := hashTree(t, fx.Base, func(p string) bool { return p == scratch })
	for _, p := range []string{"/etc/passwd", "/etc/hosts", "/etc/cron.d"} {
		snap[p] = hashEntry(p)
	}
	return snap
}

// hashTree maps every path under root to its type, mode and content hash
// (a symlink to its target). skip prunes a subtree.
func hashTree(t *testing.T, root string, skip func(string) bool) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if skip != nil && skip(p) {
			return filepath.SkipDir
		}
		snap[p] = hashEntry(p)
		return nil
	})
	if err != nil {
		t.Fatalf("hash %s: %v", root, err)
	}
	return snap
}

func hashEntry(p string) string {
	fi, err := os.Lstat(p)
	switch {
	case err != nil:
		return "missing"
	case fi.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(p)
		return "symlink -> " + target
	case fi.IsDir():
		return fmt.Sprintf("dir %v", fi.Mode())
	}
	f, err := os.Open(p)
	if err != nil {
		return "unreadable"
	}
	defer f.Close()
	h := sha256.New()
	_, _ = io.Copy(h, f)
	return fmt.Sprintf("file %v %s", fi.Mode(), hex.EncodeToString(h.Sum(nil)))
}

// diffSnapshots lists every path whose state changed.
func diffSnapshots(before, after map[string]string) []string {
	var out []string
	for p, b := range before {
		if a := after[p]; a != b {
			out = append(out, fmt.Sprintf("%s: %s -> %s", p, b, orMissing(a)))
		}
	}
	for p, a := range after {
		if _, ok := before[p]; !ok {
			out = append(out, fmt.Sprintf("%s: created (%s)", p, a))
		}
	}
	sort.Strings(out)
	return out
}

func orMissing(s string) string {
	if s == "" {
		return "missing"
	}
	return s
}

// TestAttackCorpus sends the whole corpus through mcp-go over HTTP and over
// stdio, the raw HTTP part by hand, and a sample through the TypeScript SDK
// and the Inspector. Every input must get its refusal, mcpd must survive,
// and nothing outside the scratch area may change.
func TestAttackCorpus(t *testing.T) {
	s := needSuite(t)
	fx := newAttackFixture(t)
	before := fx.snapshot(t)
	srv := startHTTP(t, "attack", "--root", fx.Root, "--mode", "agent")
	calls := attackCalls(fx)
	stdio := target{Transport: "stdio", Env: s.mcpdEnv(),
		Argv: []string{s.mcpd, "--root", fx.Root, "--transport", "stdio", "--tool-mode", "full", "--mode", "agent"}}
	tried := 0
	for name, tg := range map[string]target{"mcp-go http": httpTarget(srv), "mcp-go stdio": stdio} {
		t.Run(name, func(t *testing.T) {
			runAttackCalls(t, goClient{}, tg, calls)
		})
		tried += len(calls)
	}
	raw := append(append(tokenCases(srv), hostCases(srv)...), rpcCases()...)
	t.Run("raw http", func(t *testing.T) {
		sessionID := initSession(t, srv)
		throttled := 0
		for _, c := range raw {
			t.Run(c.name, func(t *testing.T) {
				if checkRaw(t, srv, sessionID, c) {
					throttled++
				}
			})
		}
		// Over 20 failed attempts in a few seconds: the throttle must have
		// answered 429, and the real token must still get in.
		if throttled == 0 {
			t.Error("no 429 after the failed token attempts: the auth throttle did not engage")
		}
		initSession(t, srv)
		for _, chunked := range []bool{false, true} {
			if status, body := postHuge(t, srv, 50<<20, chunked); status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "Payload too large") {
				t.Errorf("50 MB body (chunked %v): status %d body %q; want 413 Payload too large", chunked, status, body)
			}
		}
	})
	tried += len(raw) + 2
	sample := attackSample(calls, 20)
	for _, c := range []mcpClient{tsClient{}, inspectorClient{}} {
		t.Run(c.Name()+" sample", func(t *testing.T) { runAttackCalls(t, c, httpTarget(srv), sample) })
		tried += len(sample)
	}
	srv.alive(t)
	if changed := diffSnapshots(before, fx.snapshot(t)); len(changed) > 0 {
		t.Errorf("the corpus changed files outside the scratch area:\n%s", strings.Join(changed, "\n"))
	}
	t.Logf("figure: %d distinct hostile inputs (%d MCP calls, %d raw HTTP), %d requests sent in all; workspace outside scratch/ and the outside tree byte-identical",
		len(calls)+len(raw)+2, len(calls), len(raw)+2, tried)
}

func runAttackCalls(t *testing.T, c mcpClient, tg target, calls []attackCall) {
	t.Helper()
	list := make([]call, len(calls))
	for i, ac := range calls {
		list[i] = ac.call
	}
	sess := c.Run(t, tg, list)
	for i, ac := range calls {
		rp := sess.Replies[i]
		if rp.Err != "" {
			t.Errorf("%s: client error instead of a refusal: %s", ac.name, rp.Err)
			continue
		}
		var r toolResult
		if err := json.Unmarshal(rp.Raw, &r); err != nil {
			t.Errorf("%s: not a tools/call result: %s", ac.name, rp.Raw)
			continue
		}
		if !r.IsError || !strings.Contains(r.text(), ac.want) {
			t.Errorf("%s: got isError=%v %q; want a refusal containing %q", ac.name, r.IsError, truncate(r.all(), 300), ac.want)
		}
		for what, secret := range attackSecrets() {
			if strings.Contains(r.all(), secret) {
				t.Errorf("%s: the answer contains %s", ac.name, what)
			}
		}
	}
}

func attackSecrets() map[string]string {
	return map[string]string{"the outside canary": outsideCanary, "the planted OpenAI key": plantedOpenAIKey, "the planted private key": plantedKeyBody}
}

// attackSample picks about n calls spread over the corpus whose arguments
// survive a command line (the Inspector passes them as argv).
func attackSample(calls []attackCall, n int) []attackCall {
	var ok []attackCall
	for _, c := range calls {
		args, _ := json.Marshal(c.call.Args)
		if len(args) < 2000 && isPrintableASCII(string(args)) {
			ok = append(ok, c)
		}
	}
	step := max(1, len(ok)/n)
	var out []attackCall
	for i := 0; i < len(ok) && len(out) < n; i += step {
		out = append(out, ok[i])
	}
	return out
}

func isPrintableASCII(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// initSession opens a legacy (2025-11-25) session by hand, so raw requests
// reach the JSON-RPC layer.
func initSession(t *testing.T, srv *httpServer) string {
	t.Helper()
	resp := rawDo(t, srv, rawCase{name: "initialize", body: initializeBody, edit: bearer(srv.Token)}, "")
	id := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != 200 || id == "" {
		t.Fatalf("initialize: status %d, session %q", resp.StatusCode, id)
	}
	notified := rawDo(t, srv, rawCase{name: "initialized", body: `{"jsonrpc":"2.0","method":"notifications/initialized"}`, session: true}, id)
	if notified.StatusCode != http.StatusAccepted {
		t.Fatalf("notifications/initialized: status %d", notified.StatusCode)
	}
	return id
}

type rawResponse struct {
	StatusCode int
	Header     http.Header
	Body       string
}

func rawDo(t *testing.T, srv *httpServer, c rawCase, sessionID string) rawResponse {
	t.Helper()
	method, path := c.method, c.path
	if method == "" {
		method = "POST"
	}
	if path == "" {
		path = "/mcp"
	}
	req, err := http.NewRequest(method, "http://"+srv.Host+"/", strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = path // sent as is: no client-side cleaning of "/../"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if c.session {
		req.Header.Set("Authorization", "Bearer "+srv.Token)
		req.Header.Set("Mcp-Session-Id", sessionID)
		req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	}
	if c.edit != nil {
		c.edit(req)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	suite.log.add("raw HTTP "+c.name, data)
	return rawResponse{StatusCode: resp.StatusCode, Header: resp.Header, Body: string(data)}
}

// checkRaw sends c and checks its answer; it reports whether the auth
// throttle answered instead.
func checkRaw(t *testing.T, srv *httpServer, sessionID string, c rawCase) bool {
	t.Helper()
	resp := rawDo(t, srv, c, sessionID)
	throttled := c.limited && resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != ""
	if resp.StatusCode != c.status && !throttled {
		t.Errorf("status %d, want %d; body %q", resp.StatusCode, c.status, truncate(resp.Body, 300))
	}
	if c.code != 0 && !strings.Contains(resp.Body, fmt.Sprintf(`"code":%d`, c.code)) {
		t.Errorf("body %q lacks JSON-RPC error code %d", truncate(resp.Body, 300), c.code)
	}
	if c.text != "" && !throttled && !strings.Contains(resp.Body, c.text) {
		t.Errorf("body %q lacks %q", truncate(resp.Body, 300), c.text)
	}
	if c.absent != "" && resp.Header.Get(c.absent) != "" {
		t.Errorf("response sets %s: %q", c.absent, resp.Header.Get(c.absent))
	}
	if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("401 without WWW-Authenticate")
	}
	for what, secret := range attackSecrets() {
		if strings.Contains(resp.Body, secret) {
			t.Errorf("the answer contains %s", what)
		}
	}
	if c.session && resp.Body != "" && !json.Valid([]byte(resp.Body)) {
		t.Errorf("a JSON-RPC answer that is not JSON: %q", truncate(resp.Body, 200))
	}
	return throttled
}
