package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// eachClient runs body once per real client, side by side.
func eachClient(t *testing.T, body func(t *testing.T, c mcpClient)) {
	for _, c := range clients {
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			body(t, c)
		})
	}
}

// hints is the part of a tool's annotations a client
// acts on: may it change anything, may it destroy, does it reach outside.
type hints struct{ readOnly, destructive, openWorld bool }

var (
	presetReadOnly     = hints{true, false, false}
	presetLocalWrite   = hints{false, true, false}
	presetBash         = hints{false, true, true}
	presetHandoffWrite = hints{false, false, false}
)

// referenceFull is CodexPro 0.30's tools/list in full tool mode with codex
// sessions on read (its full list plus the two session tools), in order, each
// with its annotation preset. Read-only and session-read tools share hints.
var referenceFull = []struct {
	name string
	want hints
}{
	{"codexpro", presetBash}, {"server_config", presetReadOnly}, {"codexpro_self_test", presetHandoffWrite},
	{"codexpro_inventory", presetReadOnly}, {"load_skill", presetReadOnly}, {"list_workspaces", presetReadOnly},
	{"open_current_workspace", presetReadOnly}, {"open_workspace", presetReadOnly}, {"workspace_snapshot", presetReadOnly},
	{"inspect_workspace", presetReadOnly}, {"tree", presetReadOnly}, {"search", presetReadOnly}, {"read", presetReadOnly},
	{"view_image", presetReadOnly}, {"write", presetLocalWrite}, {"edit", presetLocalWrite}, {"apply_patch", presetLocalWrite},
	{"import_file", presetLocalWrite}, {"bash", presetBash}, {"git_status", presetReadOnly}, {"git_diff", presetReadOnly},
	{"show_changes", presetReadOnly}, {"read_handoff", presetReadOnly}, {"wait_for_handoff", presetReadOnly},
	{"codex_context", presetReadOnly}, {"export_pro_context", presetHandoffWrite}, {"handoff_to_agent", presetHandoffWrite},
	{"handoff_to_codex", presetHandoffWrite}, {"codex_sessions", presetReadOnly}, {"read_codex_session", presetReadOnly},
}

// TestToolsListFullReference: a client of mcpd in full tool mode with codex
// sessions on read sees CodexPro 0.30's 30 tools in its order, and each
// tool's hints say truthfully whether it can change or destroy anything.
func TestToolsListFullReference(t *testing.T) {
	srv := startHTTP(t, "full-list", "--mode", "agent", "--bash", "safe", "--codex-sessions", "read")
	want := make([]string, len(referenceFull))
	for i, r := range referenceFull {
		want[i] = r.name
	}
	eachClient(t, func(t *testing.T, c mcpClient) {
		rp := c.Run(t, httpTarget(srv), []call{listTools()}).Replies[0]
		if got := toolOrder(t, rp); !slices.Equal(got, want) {
			t.Fatalf("tools/list names:\n got  %d %v\n want %d %v", len(got), got, len(want), want)
		}
		tools := rp.tools(t)
		for _, r := range referenceFull {
			a := tools[r.name].Annotations
			got := hints{a["readOnlyHint"] == true, a["destructiveHint"] == true, a["openWorldHint"] == true}
			if got != r.want || a["readOnlyHint"] == nil || a["destructiveHint"] == nil || a["openWorldHint"] == nil {
				t.Errorf("%s: annotations %v; want readOnlyHint %v, destructiveHint %v, openWorldHint %v", r.name, a, r.want.readOnly, r.want.destructive, r.want.openWorld)
			}
			if !r.want.readOnly && a["idempotentHint"] != false {
				t.Errorf("%s changes things but its idempotentHint is %v, want false", r.name, a["idempotentHint"])
			}
		}
	})
}

// toolOrder is the tool names of a tools/list reply as listed.
func toolOrder(t *testing.T, rp reply) []string {
	t.Helper()
	var res struct {
		Tools []struct {
			Name string `json:"name"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(rp.Raw, &res); err != nil || rp.Err != "" {
		t.Fatalf("tools/list: %v %s: %s", err, rp.Err, rp.Raw)
	}
	names := make([]string, len(res.Tools))
	for i, tl := range res.Tools {
		names[i] = tl.Name
	}
	return names
}

// importSource is a loopback HTTPS server standing in for ChatGPT's file
// origin. It counts connections, so a test can prove a refused import
// never reached it.
type importSource struct {
	srv    *httptest.Server
	caFile string // its certificate as PEM, for CODEXPRO_IMPORT_TEST_CA_FILE
	conns  atomic.Int64
	sig    string // a bearer-style query value that must never be echoed
}

const (
	importCap  = 1000 // CODEXPRO_MAX_IMPORT_BYTES of the import tests (the lowest allowed)
	importBody = "imported through a loopback test server\n"
)

func newImportSource(t *testing.T) *importSource {
	t.Helper()
	src := &importSource{sig: newToken(t)}
	needSuite(t).log.secret("the signature in an import download_url", src.sig)
	mux := http.NewServeMux()
	mux.HandleFunc("/file.txt", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("sig") != src.sig {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(importBody))
	})
	mux.HandleFunc("/big.bin", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(bytes.Repeat([]byte("x"), 4*importCap)) // declares its length
	})
	mux.HandleFunc("/stream.bin", func(w http.ResponseWriter, _ *http.Request) {
		for range 8 { // chunked, no length: the cap must hold while streaming
			_, _ = w.Write(bytes.Repeat([]byte("y"), importCap/2))
			w.(http.Flusher).Flush()
		}
	})
	src.srv = httptest.NewUnstartedServer(mux)
	src.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			src.conns.Add(1)
		}
	}
	src.srv.StartTLS()
	t.Cleanup(src.srv.Close)
	src.caFile = filepath.Join(t.TempDir(), "import-ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: src.srv.Certificate().Raw})
	if err := os.WriteFile(src.caFile, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return src
}

// importCall imports an Apps SDK file object; sha is expected_sha256, if any.
func importCall(url, dest, sha string) call {
	args := map[string]any{"file": map[string]any{"download_url": url, "file_id": "file_x"}, "destination": dest}
	if sha != "" {
		args["expected_sha256"] = sha
	}
	return callTool("import_file", args)
}

// refusal is an import that must fail with a message containing want and
// leave its destination unwritten.
type refusal struct {
	call call
	want string
}

func (rf refusal) check(t *testing.T, root string, rp reply) {
	t.Helper()
	r := rp.result(t, rf.call)
	if !r.IsError {
		t.Errorf("%s: not refused: %s", rf.call, r.all())
	} else if !strings.Contains(r.text(), rf.want) {
		t.Errorf("%s: refusal %q does not say %q", rf.call, r.text(), rf.want)
	}
	dest := rf.call.Args["destination"].(string)
	if _, err := os.Lstat(filepath.Join(root, dest)); err == nil {
		t.Errorf("%s: refused, yet %s was written", rf.call, dest)
	}
}

// TestImportFileLoopbackSwitch: an import from a loopback HTTPS server
// works only under the test-only switch; without it, and for a private
// address, a file: URL, a body over the cap (declared or streamed) and a
// SHA-256 mismatch, it is refused and nothing at all is written.
func TestImportFileLoopbackSwitch(t *testing.T) {
	eachClient(t, func(t *testing.T, c mcpClient) {
		src := newImportSource(t)
		root := newGitWorkspace(t, map[string]string{"README.md": "import target\n"})
		before := workspaceFiles(t, root)
		okURL := src.srv.URL + "/file.txt?sig=" + src.sig
		sum := sha256.Sum256([]byte(importBody))

		// The address check's own refusal, not a failed dial: it comes
		// before any connection is tried.
		const privateRefused = "CodexProError: Attachment download_url resolves to a blocked address (10.0.0.1 is private"
		// Production settings (only a private address allowlisted, to show the
		// address rule holds even then): loopback refused before connecting.
		plain := startHTTPEnv(t, "import-plain-"+c.Name(), []string{"CODEXPRO_IMPORT_ALLOWED_HOSTS=10.0.0.1"}, "--root", root, "--mode", "agent")
		runRefusals(t, c, plain, root, []refusal{
			{importCall(okURL, "imports/file.txt", ""), "CODEXPRO_IMPORT_ALLOW_LOOPBACK is off"},
			{importCall("https://10.0.0.1/x", "imports/private.txt", ""), privateRefused},
		})
		checkWorkspaceFiles(t, root, before)
		if n := src.conns.Load(); n != 0 {
			t.Fatalf("without the switch the loopback server still got %d connection(s)", n)
		}

		sw := startHTTPEnv(t, "import-switch-"+c.Name(), []string{
			"CODEXPRO_IMPORT_ALLOW_LOOPBACK=1", "CODEXPRO_IMPORT_TEST_CA_FILE=" + src.caFile, fmt.Sprintf("CODEXPRO_MAX_IMPORT_BYTES=%d", importCap),
		}, "--root", root, "--mode", "agent")
		ok := importCall(okURL, "imports/file.txt", hex.EncodeToString(sum[:]))
		overCap := fmt.Sprintf("exceeded import size limit (%d bytes)", importCap)
		sess := runRefusals(t, c, sw, root, []refusal{
			{importCall("https://10.0.0.1/x", "imports/private2.txt", ""), "must be loopback while CODEXPRO_IMPORT_TEST_CA_FILE is set"},
			{importCall("file:///etc/hostname", "imports/local.txt", ""), "must use HTTPS"},
			{importCall(src.srv.URL+"/big.bin", "imports/big.bin", ""), overCap},
			{importCall(src.srv.URL+"/stream.bin", "imports/stream.bin", ""), overCap},
			{importCall(okURL, "imports/sha.txt", strings.Repeat("0", 64)), "SHA-256 mismatch"},
		}, ok)
		r := sess.Replies[len(sess.Replies)-1].ok(t, ok)
		var verified bool
		var got string
		r.field(t, "verified", &verified)
		r.field(t, "sha256", &got)
		if !verified || got != hex.EncodeToString(sum[:]) {
			t.Errorf("import reports verified=%v sha256=%s; want true and %x", verified, got, sum)
		}
		if b, err := os.ReadFile(filepath.Join(root, "imports/file.txt")); err != nil || string(b) != importBody {
			t.Errorf("imported file = %q, %v; want %q", b, err, importBody)
		}
		// The one import is the only file added: no refusal left anything behind.
		checkWorkspaceFiles(t, root, append(before, "imports/file.txt"))
		plain.alive(t)
		sw.alive(t)
	})
}

// runRefusals makes the refused calls, then the others, in one session
// (calls are independent, so the order inside it does not matter) and checks
// each refusal.
func runRefusals(t *testing.T, c mcpClient, srv *httpServer, root string, rs []refusal, others ...call) session {
	t.Helper()
	var calls []call
	for _, rf := range rs {
		calls = append(calls, rf.call)
	}
	sess := c.Run(t, httpTarget(srv), append(calls, others...))
	for i, rf := range rs {
		rf.check(t, root, sess.Replies[i])
	}
	return sess
}

// workspaceFiles lists every file and directory under root but .git, so a
// stray temp file or half-written import shows up.
func workspaceFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case rel == ".":
		case d.IsDir() && rel == ".git":
			return filepath.SkipDir
		case !d.IsDir():
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func checkWorkspaceFiles(t *testing.T, root string, want []string) {
	t.Helper()
	want = slices.Sorted(slices.Values(want))
	if got := workspaceFiles(t, root); !slices.Equal(got, want) {
		t.Errorf("workspace files:\n got  %v\n want %v", got, want)
	}
}

// testPNG is a small picture with distinct pixels, encoded by image/png.
func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 7, 5))
	for x := range 7 {
		for y := range 5 {
			img.Set(x, y, color.NRGBA{uint8(x * 36), uint8(y * 60), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestViewImageContent: a PNG reaches each client as MCP image content
// with its exact bytes and dimensions; the type comes from the bytes, so a
// PNG named .txt is still a PNG and a text file named .png is refused.
func TestViewImageContent(t *testing.T) {
	pic := testPNG(t)
	root := newGitWorkspace(t, map[string]string{
		"img/pic.png":    string(pic),
		"img/pic.txt":    string(pic),
		"img/notpic.png": "just some text, not an image\n",
	})
	srv := startHTTP(t, "view-image", "--root", root)
	eachClient(t, func(t *testing.T, c mcpClient) {
		calls := []call{
			callTool("view_image", map[string]any{"path": "img/pic.png"}),
			callTool("view_image", map[string]any{"path": "img/pic.txt"}),
			callTool("view_image", map[string]any{"path": "img/notpic.png"}),
		}
		sess := c.Run(t, httpTarget(srv), calls)
		for i := range 2 {
			checkImage(t, calls[i], sess.Replies[i], pic)
		}
		r := sess.Replies[2].result(t, calls[2])
		if !r.IsError || !strings.Contains(r.text(), "Unsupported image format: img/notpic.png") {
			t.Errorf("%s: want a refusal naming the file, got %s", calls[2], r.all())
		}
		for _, item := range r.Content {
			if item.Type == "image" {
				t.Errorf("%s: refused, yet image content came back", calls[2])
			}
		}
	})
}

func checkImage(t *testing.T, c call, rp reply, want []byte) {
	t.Helper()
	r := rp.ok(t, c)
	var images []contentItem
	for _, item := range r.Content {
		if item.Type == "image" {
			images = append(images, item)
		}
	}
	if len(images) != 1 {
		t.Fatalf("%s: %d image content items, want 1: %s", c, len(images), rp.Raw)
	}
	if images[0].MimeType != "image/png" {
		t.Errorf("%s: image mimeType %q, want image/png", c, images[0].MimeType)
	}
	if got, err := base64.StdEncoding.DecodeString(images[0].Data); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s: image data decodes to %d bytes (%v), want the file's %d bytes", c, len(got), err, len(want))
	}
	var w, h int
	var mime string
	r.field(t, "width", &w)
	r.field(t, "height", &h)
	r.field(t, "mime_type", &mime)
	if w != 7 || h != 5 || mime != "image/png" {
		t.Errorf("%s: structured content says %dx%d %s, want 7x5 image/png", c, w, h, mime)
	}
}

// TestLoadSkillSymlinks: a workspace skill folder that is a symlink to
// another folder of the workspace loads; one whose link leaves the
// workspace is refused and its content never shown.
func TestLoadSkillSymlinks(t *testing.T) {
	const linked, outside = "Follow the linked steps.", "Outside secret steps."
	root := newGitWorkspace(t, map[string]string{
		"shared-skills/x/SKILL.md": "---\nname: linked\ndescription: reached through a link\n---\n\n" + linked + "\n",
		".agents/skills/.keep":     "",
	})
	away := t.TempDir()
	if err := writeFiles(away, map[string]string{"evil/SKILL.md": "---\nname: escaped\ndescription: outside\n---\n\n" + outside + "\n"}); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"linked": "../../shared-skills/x", "escaped": filepath.Join(away, "evil")} {
		if err := os.Symlink(target, filepath.Join(root, ".agents/skills", link)); err != nil {
			t.Fatal(err)
		}
	}
	srv := startHTTP(t, "skills", "--root", root)
	eachClient(t, func(t *testing.T, c mcpClient) {
		calls := []call{
			callTool("load_skill", map[string]any{"name": "linked"}),
			callTool("load_skill", map[string]any{"name": "escaped"}),
		}
		sess := c.Run(t, httpTarget(srv), calls)
		r := sess.Replies[0].ok(t, calls[0])
		var skill struct {
			Source string `json:"source"`
			Path   string `json:"path"`
		}
		r.field(t, "skill", &skill)
		if !strings.Contains(r.text(), linked) || skill.Source != "workspace" || skill.Path != "$WORKSPACE/.agents/skills/linked/SKILL.md" {
			t.Errorf("%s: want the linked skill from $WORKSPACE/.agents/skills/linked, got %+v: %s", calls[0], skill, r.text())
		}
		bad := sess.Replies[1].result(t, calls[1])
		if !bad.IsError || !strings.Contains(bad.text(), "symlink-escape") && !strings.Contains(bad.text(), "outside workspace root through a symlink") {
			t.Errorf("%s: want a symlink-escape refusal, got %s", calls[1], bad.all())
		}
		if strings.Contains(bad.all(), outside) {
			t.Errorf("%s: the escaped skill's content came back", calls[1])
		}
	})
}
