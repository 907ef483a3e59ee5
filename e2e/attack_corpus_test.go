package e2e

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// hostilePath is one path argument an attacker (or a prompt-injected model)
// might send, with the refusal a read must get and the one a write must get.
// write is "" for names that are literal, harmless names inside the
// workspace (a read finds nothing; a write would just create that file).
type hostilePath struct {
	path  string
	read  string
	write string
}

const (
	ruleEscape   = "[rule: escape]"
	ruleSymlink  = "[rule: symlink-escape]"
	ruleBlocked  = "[rule: blocked]"
	ruleNotFound = "[rule: not-found]"
	ruleInvalid  = "[rule: invalid-path]"
)

// hostilePaths names files of the attack fixture (see newAttackFixture):
// outside is its sibling directory holding secret.txt.
func hostilePaths(fx attackFixture) []hostilePath {
	out := fx.Outside + "/secret.txt"
	same := func(p, rule string) hostilePath { return hostilePath{p, rule, rule} }
	literal := func(p string) hostilePath { return hostilePath{p, ruleNotFound, ""} }
	return []hostilePath{
		// Traversal, absolute and home forms.
		same("../outside/secret.txt", ruleEscape),
		same("../../../../../../etc/passwd", ruleEscape),
		same("src/../../outside/secret.txt", ruleEscape),
		same("./../outside/secret.txt", ruleEscape),
		same("src/./../../outside/secret.txt", ruleEscape),
		same("a/"+strings.Repeat("../", 40)+"etc/passwd", ruleEscape),
		same("../ws/../outside/secret.txt", ruleEscape),
		same(out, ruleEscape),
		same("/etc/passwd", ruleEscape),
		same("/etc/shadow", ruleEscape),
		same("/proc/self/environ", ruleEscape),
		same("/proc/self/root/etc/passwd", ruleEscape),
		same("/proc/self/cwd/secret.txt", ruleEscape),
		same("/dev/zero", ruleEscape),
		same(fx.Root+"/../outside/secret.txt", ruleEscape),
		same(fx.Root+"/src/../../outside/secret.txt", ruleEscape),
		same("//etc/passwd", ruleEscape),
		same("~", ruleEscape),
		same("~/.ssh/id_rsa", ruleEscape),
		same("~root", ruleEscape),
		same("~root/.bashrc", ruleEscape),
		same("~nobody/x", ruleEscape),
		// NUL bytes.
		same("README.md\x00.txt", ruleInvalid),
		same("\x00", ruleInvalid),
		same("../\x00/etc/passwd", ruleInvalid),
		same(".env\x00", ruleInvalid),
		// Encodings and Unicode look-alikes: literal names, never decoded.
		literal("..%2f..%2fetc%2fpasswd"),
		literal("%2e%2e/outside/secret.txt"),
		literal("..%252f..%252fetc/passwd"),
		literal("..\\outside\\secret.txt"),
		literal("..\\..\\windows\\win.ini"),
		same("C:\\Windows\\win.ini", ruleEscape), // a drive letter is absolute on every OS
		literal("file:///etc/passwd"),
		literal("\uff0e\uff0e/outside/secret.txt"), // fullwidth dots
		literal("\u2025/outside/secret.txt"),       // two-dot leader
		literal("..\u200b/outside/secret.txt"),     // zero-width space
		literal("\u202e../outside/secret.txt"),     // right-to-left override
		literal(".\u0435nv"),                       // Cyrillic e
		literal(" ../outside/secret.txt"),
		literal("...//outside/secret.txt"),
		// Blocked names in every spelling.
		same(".env", ruleBlocked),
		same(".ENV", ruleBlocked),
		same(".Env.local", ruleBlocked),
		same(".env.production", ruleBlocked),
		same(".env.", ruleBlocked),
		same(".env ", ruleBlocked), // .env* covers any name that starts with .env
		same("src/.env", ruleBlocked),
		same("./.env", ruleBlocked),
		same("src/../.env", ruleBlocked),
		same(".git/config", ruleBlocked),
		same(".GIT/HEAD", ruleBlocked),
		same(".git", ruleBlocked),
		same(".git/../.env", ruleBlocked),
		same(".git/hooks/pre-commit", ruleBlocked),
		same("src/.git/config", ruleBlocked),
		same("node_modules/x.js", ruleBlocked),
		same("NODE_MODULES/x.js", ruleBlocked),
		same("id_rsa", ruleBlocked),
		same("id_ed25519.pub", ruleBlocked),
		same("server.KEY", ruleBlocked),
		same("cert.pem", ruleBlocked),
		same("store.p12", ruleBlocked),
		same(".ssh/id_ed25519", ruleBlocked),
		same(".aws/credentials", ruleBlocked),
		same(".npmrc", ruleBlocked),
		same(".netrc", ruleBlocked),
		same(".git-credentials", ruleBlocked),
		same(".docker/config.json", ruleBlocked),
		same("terraform.tfstate.backup", ruleBlocked),
		same("credentials.json", ruleBlocked),
		same("dist/app.js", ruleBlocked),
		same(".gnupg/secring.gpg", ruleBlocked),
		// Symlinks made by the fixture.
		same("link-out-file", ruleSymlink),
		same("link-out-dir/secret.txt", ruleSymlink),
		same("link-rel-out", ruleSymlink),
		same("link-chain/secret.txt", ruleSymlink),
		same("link-root/etc/passwd", ruleSymlink),
		same("link-dotdot/outside/secret.txt", ruleSymlink),
		same("link-proc/etc/passwd", ruleSymlink),
		same("scratch/link-up/secret.txt", ruleSymlink),
		same("scratch/../link-out-file", ruleSymlink),
		same("link-env", ruleBlocked),
		same("link-git/config", ruleBlocked),
		same("link-loop-a", ruleInvalid),
		same("link-dangling-out", ruleSymlink), // a write would create the outside file
		same("link-dangling-env", ruleBlocked),
		// Long names.
		same(strings.Repeat("a", 300), "name too long"),
		literal(strings.Repeat("d/", 3000) + "x"),
	}
}

// pathCalls turns every hostile path into read, write and edit calls
// (write and edit only where a write must be refused), and directory-taking
// tools for the escapes.
func pathCalls(fx attackFixture) []attackCall {
	var out []attackCall
	for _, hp := range hostilePaths(fx) {
		q := fmt.Sprintf("%q", truncate(hp.path, 60))
		out = append(out, attackCall{"read " + q, callTool("read", map[string]any{"path": hp.path}), hp.read})
		if hp.write == "" {
			continue
		}
		out = append(out,
			attackCall{"write " + q, callTool("write", map[string]any{"path": hp.path, "content": "pwned"}), hp.write},
			attackCall{"edit " + q, callTool("edit", map[string]any{"path": hp.path, "old_text": "root", "new_text": "pwned"}), hp.write})
	}
	for _, p := range []string{"../", "..", "/", "/etc", fx.Outside, "~", "~/.ssh", "link-out-dir", "link-root", "link-dotdot"} {
		want := ruleEscape
		if strings.HasPrefix(p, "link-") {
			want = ruleSymlink
		}
		out = append(out,
			attackCall{"git_diff " + p, callTool("git_diff", map[string]any{"path": p}), want},
			attackCall{"git_status " + p, callTool("git_status", map[string]any{"path": p}), want},
			attackCall{"show_changes " + p, callTool("show_changes", map[string]any{"path": p}), want},
			attackCall{"bash cwd " + p, callTool("bash", map[string]any{"command": "ls", "cwd": p}), want},
			attackCall{"tree " + p, callTool("tree", map[string]any{"path": p, "include_hidden": true}), want},
			attackCall{"search " + p, callTool("search", map[string]any{"query": "CANARY", "path": p, "include_hidden": true}), want})
	}
	for _, p := range []string{".git", ".GIT/objects", "node_modules", "link-git", "link-env", ".env", "src/../.git"} {
		out = append(out,
			attackCall{"tree " + p, callTool("tree", map[string]any{"path": p, "include_hidden": true}), ruleBlocked},
			attackCall{"search " + p, callTool("search", map[string]any{"query": "OPENAI", "path": p, "include_hidden": true}), ruleBlocked})
	}
	for _, p := range []string{"..", "/", "/etc", fx.Outside, "~", fx.Root + "/../outside", fx.Root + "/link-out-dir", fx.Root + "/.git", fx.Root + "/node_modules"} {
		out = append(out, attackCall{"open_workspace " + p, callTool("open_workspace", map[string]any{"root": p}), "rule: "})
	}
	return out
}

// bashCalls are safe-mode bypass attempts (those that worked against
// CodexPro 0.30, and shell constructs a regex policy would miss):
// every one must be refused before anything runs.
func bashCalls() []attackCall {
	cmds := []string{
		"cat .env", "cat /etc/passwd", "cat /etc/passwd > leak.txt", "echo pwned > README.md",
		"git show HEAD:./.env", "git show HEAD:.env", "git show :0:.env", "ls ./.ssh", "ls .git", "ls .git/*",
		"git log -p -- .env", "git blame .env", "find ./../.. -maxdepth 1", "find .. -maxdepth 1", "ls ../",
		"ls /", "find /tmp", "ls ~root", "ls ~", "ls ~/.ssh", "ls link-out-dir", "ls link-out-dir/secret.txt",
		"ls ../*", "npm test --prefix=../other", "tsc -p=../x", "tsc --outDir /tmp/out", "pytest --rootdir=../x",
		"pytest -p plugin", "go test -exec=./prog ./...", "go test -toolexec=./x ./...", "go run .",
		"go test -coverprofile=/tmp/c.out ./...", "git branch -D main", "git push origin main", "git reset --hard",
		"git clean -fdx", "git -c core.pager=evil log", "git -C .. status", "git --git-dir=../x/.git log",
		"git diff --output=leak.txt", "git diff --no-index /etc/passwd x", "git diff --ext-diff",
		"git status ':/'", "find . -exec rm {} ;", "find . -delete", "find . -fprint leak.txt",
		"npx some-random-package", "ls $(cat .env)", "ls `id`", "ls $HOME", "ls; id", "ls | sh", "ls & id",
		"ls\nid", "pwd\ntouch pwned.txt", "git diff $'--output=leak.txt'", "git diff \"--output=leak.txt\"", "(id)", "f() { id; }; f", "FOO=1 ls", "sh -c id", "bash -c id", "curl http://127.0.0.1/",
		"python -c 'import os'", "rm -rf /", "chmod 777 .", "ln -s /etc/passwd x", "cp /etc/passwd .",
	}
	out := make([]attackCall, 0, len(cmds))
	for _, c := range cmds {
		out = append(out, attackCall{"bash " + fmt.Sprintf("%q", c), callTool("bash", map[string]any{"command": c}), "safe mode refused"})
	}
	return out
}

// patchCalls are hostile apply_patch inputs: headers that name escapes,
// blocked files, symlinks, binary content, renames and copies out.
func patchCalls(fx attackFixture) []attackCall {
	hunk := "@@ -0,0 +1 @@\n+pwned\n"
	newFile := func(name string) string {
		return "diff --git a/" + name + " b/" + name + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + name + "\n" + hunk
	}
	plain := func(name string) string { return "--- /dev/null\n+++ " + name + "\n" + hunk }
	rename := func(from, to string) string {
		return "diff --git a/" + from + " b/" + to + "\nsimilarity index 100%\nrename from " + from + "\nrename to " + to + "\n"
	}
	cases := []struct{ name, patch, want string }{
		{"new file ../", newFile("../outside/pwned.txt"), ruleEscape},
		{"new file ../../", newFile("src/../../outside/pwned.txt"), ruleEscape},
		{"new file .env", newFile(".env.local"), ruleBlocked},
		{"new file .git hook", newFile(".git/hooks/pre-commit"), ruleBlocked},
		{"new file node_modules", newFile("node_modules/x.js"), ruleBlocked},
		{"new file through symlinked dir", newFile("link-out-dir/pwned.txt"), ruleSymlink},
		{"new file through scratch link", newFile("scratch/link-up/pwned.txt"), ruleSymlink},
		{"new file NUL", newFile("a\x00b"), "rule: "},
		{"plain ../", plain("b/../outside/pwned.txt"), ruleEscape},
		{"plain absolute", plain(fx.Outside + "/pwned.txt"), "absolute paths are not allowed"},
		{"plain /etc", plain("/etc/cron.d/pwned"), "absolute paths are not allowed"},
		{"plain without prefix", plain("pwned.txt"), "no a/ or b/ prefix"},
		{"plain .env", plain("b/.env"), ruleBlocked},
		{"old/ new/ prefixes onto .env", "--- old/.env\n+++ new/.env\n@@ -1 +1 @@\n-X=1\n+X=2\n", ruleBlocked},
		{"C-quoted octal slash onto .env", "diff --git \"a/foo\\057.env\" \"b/foo\\057.env\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/foo\\057.env\"\n" + hunk, ruleBlocked},
		{"C-quoted ../", "diff --git \"a/\\056\\056/outside/x\" \"b/\\056\\056/outside/x\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/\\056\\056/outside/x\"\n" + hunk, ruleEscape},
		{"rename onto .env", rename("README.md", ".env"), ruleBlocked},
		{"rename out", rename("README.md", "../outside/README.md"), ruleEscape},
		{"rename from outside", rename("../outside/secret.txt", "stolen.txt"), ruleEscape},
		{"rename from symlink", rename("link-out-file", "stolen.txt"), ruleSymlink},
		{"rename .git config in", rename(".git/config", "gitconfig.txt"), ruleBlocked},
		{"copy from outside", "diff --git a/../outside/secret.txt b/stolen.txt\nsimilarity index 100%\ncopy from ../outside/secret.txt\ncopy to stolen.txt\n", ruleEscape},
		{"delete README through ../", "diff --git a/../ws/README.md b/../ws/README.md\ndeleted file mode 100644\n--- a/../ws/README.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n", ruleEscape},
		{"delete outside", "diff --git a/../outside/secret.txt b/../outside/secret.txt\ndeleted file mode 100644\n--- a/../outside/secret.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-" + outsideCanary + "\n", ruleEscape},
		{"modify symlink target", "diff --git a/link-out-file b/link-out-file\n--- a/link-out-file\n+++ b/link-out-file\n@@ -1 +1 @@\n-" + outsideCanary + "\n+pwned\n", ruleSymlink},
		{"header-only mode change on .git", "diff --git a/.git/config b/.git/config\nold mode 100644\nnew mode 100755\n", ruleBlocked},
		{"symlink mode", "diff --git a/evil b/evil\nnew file mode 120000\n--- /dev/null\n+++ b/evil\n@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n", "Symlink patches are blocked"},
		{"symlink mode change", "diff --git a/README.md b/README.md\nold mode 100644\nnew mode 120000\n", "Symlink patches are blocked"},
		{"binary", "diff --git a/x.bin b/x.bin\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..0f49c4ae77b43dff338093c78e009676e7e308ba\nGIT binary patch\nliteral 9\nQcmZQzWJ=1+ODw7c00^)Gi2wiq\n\nliteral 0\nHcmV?d00001\n\n", "Binary patches are blocked"},
		{"binary files differ", "diff --git a/x.bin b/x.bin\nnew file mode 100644\nBinary files /dev/null and b/x.bin differ\n", "Binary patches are blocked"},
		{"secret content", newFile("scratch/creds.txt")[:len(newFile("scratch/creds.txt"))-len(hunk)] + "@@ -0,0 +1 @@\n+OPENAI_API_KEY=" + plantedOpenAIKey + "\n", "secret"},
		{"mixed formats", newFile("scratch/a.txt") + plain("b/scratch/b.txt"), "mixes git-format"},
		{"second hunk fails", "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-nope\n+pwned\n", "does not apply"},
		{"garbage", "this is not a patch\n", "at least one file"},
		{"empty", "   ", "patch is required"},
	}
	out := make([]attackCall, 0, len(cases))
	for _, c := range cases {
		out = append(out, attackCall{"apply_patch " + c.name, callTool("apply_patch", map[string]any{"patch": c.patch}), c.want})
	}
	return out
}

// argCalls are wrong types and shapes of tool arguments.
func argCalls() []attackCall {
	return []attackCall{
		{"read path number", callTool("read", map[string]any{"path": 5}), "Invalid arguments"},
		{"read path array", callTool("read", map[string]any{"path": []any{"../x"}}), "Invalid arguments"},
		{"read path object", callTool("read", map[string]any{"path": map[string]any{"$ref": "../x"}}), "Invalid arguments"},
		{"read unknown argument", callTool("read", map[string]any{"path": "README.md", "root": "/"}), "Invalid arguments"},
		{"read workspace_id forged", callTool("read", map[string]any{"path": "README.md", "workspace_id": "ws_000000000000000000000000"}), "workspace"},
		{"read workspace_id traversal", callTool("read", map[string]any{"path": "README.md", "workspace_id": "../../etc"}), "workspace"},
		{"read max_bytes negative", callTool("read", map[string]any{"path": "README.md", "max_bytes": -1}), "max_bytes"},
		{"write content number", callTool("write", map[string]any{"path": "scratch/x", "content": 1}), "Invalid arguments"},
		{"write secret", callTool("write", map[string]any{"path": "scratch/x.txt", "content": "OPENAI_API_KEY=" + plantedOpenAIKey}), "secret"},
		{"write huge over limit", callTool("write", map[string]any{"path": "scratch/big.txt", "content": strings.Repeat("x", 3<<20)}), "too large"},
		{"bash timeout huge", callTool("bash", map[string]any{"command": "ls", "timeout_ms": 1 << 40}), "timeout_ms"},
		{"bash empty", callTool("bash", map[string]any{"command": ""}), "command"},
	}
}

// attackCalls is the whole MCP part of the corpus.
func attackCalls(fx attackFixture) []attackCall {
	var out []attackCall
	out = append(out, pathCalls(fx)...)
	out = append(out, bashCalls()...)
	out = append(out, patchCalls(fx)...)
	out = append(out, argCalls()...)
	return out
}

// rawCase is one hand-made HTTP request. Requests with session set carry
// the token and the Mcp-Session-Id of an initialized session, so they reach
// the JSON-RPC layer. status is the HTTP status it must get; code, when not
// zero, the JSON-RPC error code in the body; text a substring of the body;
// absent a response header that must not be set.
type rawCase struct {
	name    string
	method  string // default POST
	path    string // default /mcp
	body    string
	session bool
	edit    func(*http.Request)
	status  int
	limited bool // a 429 from the auth throttle also counts (10 failures in 60 s)
	code    int
	text    string
	absent  string
}

const (
	rpcParse          = -32700
	rpcInvalidRequest = -32600
	rpcNoMethod       = -32601
	rpcInvalidParams  = -32602
)

// tokenCases: the token missing, wrong, or in the wrong place; all 401, and
// the 401 never says which part was wrong.
func tokenCases(srv *httpServer) []rawCase {
	tok := srv.Token
	unauth := func(name string, edit func(*http.Request)) rawCase {
		return rawCase{name: name, body: initializeBody, edit: edit, status: 401, limited: true, text: "codexpro: "}
	}
	return []rawCase{
		unauth("no token", nil),
		unauth("wrong token", bearer(strings.Repeat("0", len(tok)))),
		unauth("token prefix", bearer(tok[:len(tok)-1])),
		unauth("token with a suffix", bearer(tok+"0")),
		unauth("token upper-cased", bearer(strings.ToUpper(tok))),
		unauth("token doubled", bearer(tok+tok)),
		unauth("empty bearer", withHeader("Authorization", "Bearer ")),
		unauth("bearer without a space", withHeader("Authorization", "Bearer"+tok)),
		unauth("Token scheme", withHeader("Authorization", "Token "+tok)),
		unauth("bare token", withHeader("Authorization", tok)),
		unauth("Basic auth", withHeader("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("codexpro:"+tok)))),
		unauth("X-Api-Key", withHeader("X-Api-Key", tok)),
		unauth("Proxy-Authorization", withHeader("Proxy-Authorization", "Bearer "+tok)),
		unauth("X-Forwarded-Authorization", withHeader("X-Forwarded-Authorization", "Bearer "+tok)),
		unauth("token= query", withQuery("token", tok)),
		unauth("access_token= query", withQuery("access_token", tok)),
		unauth("wrong codexpro_token query", withQuery("codexpro_token", strings.Repeat("f", len(tok)))),
		unauth("cookie", withHeader("Cookie", "codexpro_token="+tok)),
		unauth("token in the body only", nil),
		{name: "GET /healthz without token", method: "GET", path: "/healthz", status: 401, limited: true},
		{name: "GET /mcp without token", method: "GET", status: 401, limited: true},
		{name: "DELETE /mcp without token", method: "DELETE", status: 401, limited: true},
		{name: "GET unknown route without token", method: "GET", path: "/admin", status: 401, limited: true},
		{name: "GET traversal route without token", method: "GET", path: "/../../etc/passwd", status: 401, limited: true},
		{name: "GET .env route without token", method: "GET", path: "/.env", status: 401, limited: true},
		{name: "unknown route with token", method: "GET", path: "/nope", edit: bearer(tok), status: 404},
		{name: "PUT /mcp with token", method: "PUT", edit: bearer(tok), body: initializeBody, status: 404},
		{name: "forged session id", body: `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, edit: both(bearer(tok), withHeader("Mcp-Session-Id", "mcp-session-00000000-0000-0000-0000-000000000000")), status: 404},
		{name: "tools/call without a session", body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","arguments":{"path":"README.md"}}}`, edit: bearer(tok), status: 400},
	}
}

// hostCases: DNS rebinding and cross-site requests, with a valid token.
func hostCases(srv *httpServer) []rawCase {
	tok, port := srv.Token, portOf(srv)
	forbidden := func(name string, edit func(*http.Request)) rawCase {
		return rawCase{name: name, body: initializeBody, edit: both(bearer(tok), edit), status: 403, absent: "Access-Control-Allow-Origin"}
	}
	preflight := func(origin string) func(*http.Request) {
		return func(r *http.Request) {
			r.Header.Set("Origin", origin)
			r.Header.Set("Access-Control-Request-Method", "POST")
			r.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		}
	}
	return []rawCase{
		forbidden("Host evil.example", withHost("evil.example")),
		forbidden("Host evil.example with the port", withHost("evil.example:"+port)),
		forbidden("Host 0.0.0.0", withHost("0.0.0.0:"+port)),
		forbidden("Host localhost.evil.example", withHost("localhost.evil.example:"+port)),
		forbidden("Host 127.0.0.1.nip.io", withHost("127.0.0.1.nip.io:"+port)),
		forbidden("Host 127.0.0.1 other port", withHost("127.0.0.1:1")),
		forbidden("Host [::1] other port", withHost("[::1]:1")),
		forbidden("Host with user info", withHost("user@127.0.0.1:"+port)),
		forbidden("Origin evil.example", withHeader("Origin", "https://evil.example")),
		forbidden("Origin null", withHeader("Origin", "null")),
		forbidden("Origin other port", withHeader("Origin", "http://127.0.0.1:1")),
		forbidden("Origin with user info", withHeader("Origin", "http://user@127.0.0.1:"+port)),
		forbidden("Origin with a path", withHeader("Origin", "http://127.0.0.1:"+port+"/x")),
		forbidden("Origin localhost.evil", withHeader("Origin", "http://localhost.evil.example:"+port)),
		forbidden("Origin https on the port", withHeader("Origin", "https://evil.example:"+port)),
		forbidden("Origin file", withHeader("Origin", "file://")),
		{name: "preflight from evil.example", method: "OPTIONS", edit: preflight("https://evil.example"), status: 403, absent: "Access-Control-Allow-Origin"},
		{name: "preflight from null", method: "OPTIONS", edit: preflight("null"), status: 403, absent: "Access-Control-Allow-Origin"},
		{name: "preflight with token from evil.example", method: "OPTIONS", edit: both(bearer(tok), preflight("https://evil.example")), status: 403, absent: "Access-Control-Allow-Origin"},
		{name: "preflight with a hostile Host", method: "OPTIONS", edit: both(withHost("evil.example"), preflight("http://evil.example")), status: 403, absent: "Access-Control-Allow-Origin"},
	}
}

// rpcCases: malformed and hostile JSON-RPC inside an authenticated session.
func rpcCases() []rawCase {
	call := func(args string) string {
		return `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"read","arguments":` + args + `}}`
	}
	parse := func(name, body string) rawCase {
		return rawCase{name: name, body: body, session: true, status: 400, code: rpcParse}
	}
	invalid := func(name, body string) rawCase {
		return rawCase{name: name, body: body, session: true, status: 400, code: rpcInvalidRequest}
	}
	toolErr := func(name, body, text string) rawCase {
		return rawCase{name: name, body: body, session: true, status: 200, text: text}
	}
	nested := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	return []rawCase{
		parse("truncated object", `{"jsonrpc":"2.0","id":1,`),
		parse("lone brace", `{`),
		parse("empty body", ``),
		invalid("empty batch", `[]`),
		invalid("batch of two (not in this revision)", `[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]`),
		invalid("batch of 10000", "["+strings.Repeat(`{"jsonrpc":"2.0","id":1,"method":"ping"},`, 9999)+`{"jsonrpc":"2.0","id":1,"method":"ping"}]`),
		invalid("string body", `"tools/list"`),
		invalid("number body", `42`),
		invalid("method is a number", `{"jsonrpc":"2.0","id":1,"method":5}`),
		invalid("null id", `{"jsonrpc":"2.0","id":null,"method":"ping"}`),
		parse("100000 nested arrays", nested),
		parse("100000 nested arrays in params", `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":`+nested+`}}`),
		parse("raw NUL byte in a string", call(`{"path":"README.md`+"\x00"+`"}`)),
		parse("raw newline in a string", call(`{"path":"README`+"\n"+`.md"}`)),
		parse("trailing garbage", `{"jsonrpc":"2.0","id":1,"method":"ping"}}`),
		parse("single quotes", `{'jsonrpc':'2.0','id':1,'method':'ping'}`),
		parse("NaN id", `{"jsonrpc":"2.0","id":NaN,"method":"ping"}`),
		invalid("null body", `null`),
		invalid("JSON-RPC 1.0", `{"jsonrpc":"1.0","id":1,"method":"ping"}`),
		invalid("no jsonrpc member", `{"id":1,"method":"ping"}`),
		{name: "unknown method", body: `{"jsonrpc":"2.0","id":1,"method":"nope"}`, session: true, status: 200, code: rpcNoMethod},
		{name: "resources/read /etc/passwd", body: `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///etc/passwd"}}`, session: true, status: 200, code: rpcNoMethod},
		{name: "prompts/get", body: `{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"x"}}`, session: true, status: 200, code: rpcNoMethod},
		{name: "tools/call params string", body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"read"}`, session: true, status: 200, code: rpcInvalidParams},
		{name: "tools/call params array", body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":["read"]}`, session: true, status: 200, code: rpcInvalidParams},
		{name: "tools/list cursor a number", body: `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":123}}`, session: true, status: 200, code: rpcInvalidParams},
		{name: "tools/call unknown tool", body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"exec","arguments":{}}}`, session: true, status: 200, code: rpcInvalidParams},
		{name: "tools/call tool name traversal", body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"../read","arguments":{}}}`, session: true, status: 200, code: rpcInvalidParams},
		{name: "tools/call tool not advertised", body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"handoff_to_codex_unknown","arguments":{}}}`, session: true, status: 200, code: rpcInvalidParams},
		{name: "huge numeric id", body: `{"jsonrpc":"2.0","id":99999999999999999999999999999,"method":"ping"}`, session: true, status: 200, text: `"id":99999999999999999999999999999,"result":{}`},
		{name: "1 MB string id", body: `{"jsonrpc":"2.0","id":"` + strings.Repeat("i", 1<<20) + `","method":"ping"}`, session: true, status: 200, text: `"result":{}`},
		toolErr("arguments a number", call(`5`), "CodexProError"),
		toolErr("path a number", call(`{"path":5}`), "Invalid arguments"),
		toolErr("path null", call(`{"path":null}`), "CodexProError"),
		toolErr("escaped NUL in the path", call(`{"path":"README.md\u0000x"}`), "invalid-path"),
		toolErr("escaped dot-dot", call(`{"path":"\u002e\u002e/outside/secret.txt"}`), "rule: escape"),
		toolErr("invalid UTF-8 in the path", call(`{"path":"../`+"\xff\xfe"+`/etc/passwd"}`), "rule: escape"),
		toolErr("invalid UTF-8 file name", call(`{"path":"README`+"\xc3\x28"+`.md"}`), "rule: not-found"),
		toolErr("lone surrogate", call(`{"path":"\ud800.env"}`), "rule: not-found"),
		toolErr("duplicate path key", call(`{"path":"README.md","path":"../outside/secret.txt"}`), "rule: escape"),
		toolErr("1 MB single-line path", call(`{"path":"`+strings.Repeat("a", 1<<20)+`"}`), "CodexProError"),
		toolErr("1 MB single-line command", `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"bash","arguments":{"command":"ls `+strings.Repeat("a", 1<<20)+`"}}}`, "CodexProError"),
		toolErr("5000 nested objects as an argument", call(`{"path":"README.md","x":`+strings.Repeat(`{"a":`, 5000)+"1"+strings.Repeat("}", 5000)+`}`), "Invalid arguments"),
	}
}
