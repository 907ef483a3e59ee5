package tools

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"codexpro.dev/mcpd/importnet"
	"codexpro.dev/mcpd/toolkit"
)

const importBody = "attached file body\n"

// importFixture is a loopback TLS server plus an env that trusts its CA,
// with the loopback test switch on and a counter of every dial attempt.
type importFixture struct {
	e     *toolkit.Env
	root  string
	srv   *httptest.Server
	hits  atomic.Int32
	dials atomic.Int32
}

func newImportFixture(t *testing.T, files map[string]string) *importFixture {
	t.Helper()
	f := &importFixture{}
	f.e, f.root = newTestEnv(t, files)
	mux := http.NewServeMux()
	mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(importBody))
	})
	mux.HandleFunc("/planted", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("token " + plantedSecret + "\n"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("a", 4000)))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 8 { // no Content-Length: only the streaming cap can stop it
			_, _ = w.Write([]byte(strings.Repeat("b", 500)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/to-private", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://10.0.0.1/file", http.StatusFound)
	})
	mux.HandleFunc("/to-other-host", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://evil.example/file", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	f.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	f.e.Cfg.MaxImportBytes = 1000
	f.e.Cfg.Import.AllowLoopback = true
	f.e.Cfg.Import.AllowedHosts = []string{"10.0.0.1"}
	*toolkit.State[importnet.Hooks](f.e) = importnet.Hooks{RootCAs: f.srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs,
		OnDial: func(string) { f.dials.Add(1) }}
	return f
}

func (f *importFixture) args(url, dest string, extra map[string]any) map[string]any {
	a := map[string]any{"file": map[string]any{"download_url": url, "file_id": "file-123", "file_name": "notes.txt"}, "destination": dest}
	for k, v := range extra {
		a[k] = v
	}
	return a
}

// listing is every path under root, to prove a refused import wrote nothing.
func listing(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		out = append(out, p)
		return nil
	})
	sort.Strings(out)
	return out
}

func TestImportFileFromLoopbackUnderSwitch(t *testing.T) {
	f := newImportFixture(t, nil)
	url := f.srv.URL + "/file?sig=BEARER-LINK-SIGNATURE"
	r := callTool(t, f.e, "import_file", f.args(url, "docs/notes.txt", map[string]any{"expected_sha256": sha256Hex([]byte(importBody))}))
	s := mustOK(t, r)
	got, err := os.ReadFile(filepath.Join(f.root, "docs", "notes.txt"))
	if err != nil || string(got) != importBody {
		t.Fatalf("imported file = %q, %v", got, err)
	}
	if s["verified"] != true || s["overwritten"] != false || s["declared_mime_type"] != "text/plain" || s["file_id"] != "file-123" {
		t.Fatalf("unexpected result %v", s)
	}
	raw, _ := json.Marshal(r)
	if strings.Contains(string(raw), "BEARER-LINK-SIGNATURE") || strings.Contains(string(raw), f.srv.URL) {
		t.Fatal("download_url echoed in the result")
	}
	entries, _ := os.ReadDir(filepath.Join(f.root, "docs"))
	if len(entries) != 1 {
		t.Fatalf("temp file left behind: %v", entries)
	}
}

func TestImportFileRefusals(t *testing.T) {
	sha := sha256Hex([]byte(importBody))
	tests := []struct {
		name     string
		url      func(srv string) string
		extra    map[string]any
		loopback bool
		want     string
		noDial   bool
	}{
		{"loopback without the switch", func(s string) string { return s + "/file" }, nil, false, "blocked host", true},
		{"private address even if allowlisted", func(string) string { return "https://10.0.0.1/file" }, nil, true, "blocked address", true},
		{"file URL", func(string) string { return "file:///etc/passwd" }, nil, true, "must use HTTPS", true},
		{"plain http", func(s string) string { return strings.Replace(s, "https", "http", 1) + "/file" }, nil, true, "must use HTTPS", true},
		{"data URL", func(string) string { return "data:text/plain,hi" }, nil, true, "must use HTTPS", true},
		{"host not allowlisted", func(string) string { return "https://example.com/file" }, nil, true, "not an approved", true},
		{"credentials in URL", func(string) string { return "https://u:p@files.oaiusercontent.com/x" }, nil, true, "credentials", true},
		{"oversized with length", func(s string) string { return s + "/big" }, nil, true, "import size limit", false},
		{"oversized while streaming", func(s string) string { return s + "/big-chunked" }, nil, true, "import size limit", false},
		{"sha mismatch", func(s string) string { return s + "/file" }, map[string]any{"expected_sha256": strings.Repeat("0", 64)}, true, "SHA-256 mismatch", false},
		{"bad sha", func(s string) string { return s + "/file" }, map[string]any{"expected_sha256": "xyz"}, true, "64 hex", true},
		{"redirect to private", func(s string) string { return s + "/to-private" }, nil, true, "blocked address", false},
		{"redirect to other host", func(s string) string { return s + "/to-other-host" }, nil, true, "not an approved", false},
		{"redirect loop", func(s string) string { return s + "/loop" }, nil, true, "redirect limit", false},
		{"blocked destination", func(s string) string { return s + "/file" }, map[string]any{"destination": ".env"}, true, "blocked", true},
		{"escaping destination", func(s string) string { return s + "/file" }, map[string]any{"destination": "../out.txt"}, true, "escapes", true},
		{"existing without overwrite", func(s string) string { return s + "/file" }, map[string]any{"destination": "keep.txt", "expected_sha256": sha}, true, "overwrite=false", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newImportFixture(t, map[string]string{"keep.txt": "original"})
			f.e.Cfg.Import.AllowLoopback = tc.loopback
			before := listing(t, f.root)
			args := f.args(tc.url(f.srv.URL), "out/imported.txt", tc.extra)
			if d, ok := tc.extra["destination"]; ok {
				args["destination"] = d
			}
			mustFail(t, callTool(t, f.e, "import_file", args), tc.want)
			if after := listing(t, f.root); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Fatalf("refused import changed the workspace:\nbefore %v\nafter  %v", before, after)
			}
			if got, _ := os.ReadFile(filepath.Join(f.root, "keep.txt")); string(got) != "original" {
				t.Fatalf("existing file changed to %q", got)
			}
			if tc.noDial && (f.dials.Load() != 0 || f.hits.Load() != 0) {
				t.Fatalf("refused before connecting, yet dialled %d times (%d requests)", f.dials.Load(), f.hits.Load())
			}
		})
	}
}

func TestImportFileOverwriteWhenAsked(t *testing.T) {
	f := newImportFixture(t, map[string]string{"keep.txt": "original"})
	s := mustOK(t, callTool(t, f.e, "import_file", f.args(f.srv.URL+"/file", "keep.txt", map[string]any{"overwrite": true})))
	if got, _ := os.ReadFile(filepath.Join(f.root, "keep.txt")); string(got) != importBody || s["overwritten"] != true {
		t.Fatalf("overwrite=true: file %q, overwritten %v", got, s["overwritten"])
	}
}

// TestImportFileSecretGate: an attachment that would put a live secret in
// the workspace is refused by the write gate, naming the path and the
// kind, and nothing is written.
func TestImportFileSecretGate(t *testing.T) {
	f := newImportFixture(t, nil)
	before := listing(t, f.root)
	r := callTool(t, f.e, "import_file", f.args(f.srv.URL+"/planted", "notes.txt", nil))
	if txt := resultText(r); !r.IsError || !strings.Contains(txt, "notes.txt") || !strings.Contains(txt, "planted test secret") || strings.Contains(txt, plantedSecret) {
		t.Fatalf("import of a secret was not refused as expected: %s", txt)
	}
	if after := listing(t, f.root); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("the refused import wrote: %v", after)
	}
}

func TestImportFileBareReference(t *testing.T) {
	f := newImportFixture(t, nil)
	mustFail(t, callTool(t, f.e, "import_file", map[string]any{"file": map[string]any{"download_url": f.srv.URL + "/file"}, "destination": "x"}),
		"Unsupported attachment reference")
	mustFail(t, callTool(t, f.e, "import_file", map[string]any{"file": "file-123", "destination": "x"}), "Invalid arguments for import_file")
}

// A host on the allowlist whose DNS answer includes a private address is
// refused before any connection: the answer is checked once and pinned.
func TestImportFileDNSAnswersChecked(t *testing.T) {
	for _, answer := range [][]string{{"10.0.0.7"}, {"93.184.216.34", "192.168.1.4"}, {"169.254.169.254"}, {"::ffff:10.0.0.1"}, {"127.0.0.1"}} {
		t.Run(strings.Join(answer, ","), func(t *testing.T) {
			f := newImportFixture(t, nil)
			f.e.Cfg.Import.AllowLoopback = false
			toolkit.State[importnet.Hooks](f.e).Resolve = func(context.Context, string) ([]netip.Addr, error) {
				var out []netip.Addr
				for _, a := range answer {
					out = append(out, netip.MustParseAddr(a))
				}
				return out, nil
			}
			mustFail(t, callTool(t, f.e, "import_file", f.args("https://files.oaiusercontent.com/f", "x.txt", nil)), "blocked")
			if f.dials.Load() != 0 {
				t.Fatal("dialled a refused address")
			}
		})
	}
}

// The test-only CA file lets a real mcpd process (e2e) trust a loopback
// test server; it then refuses every non-loopback source, and without the
// loopback switch it refuses imports altogether.
func TestImportFileTestCAFile(t *testing.T) {
	f := newImportFixture(t, nil)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	toolkit.State[importnet.Hooks](f.e).RootCAs = nil // trust comes from the file alone
	f.e.Cfg.Import.TestCAFile = ca
	mustOK(t, callTool(t, f.e, "import_file", f.args(f.srv.URL+"/file", "a.txt", nil)))

	toolkit.State[importnet.Hooks](f.e).Resolve = func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
	}
	mustFail(t, callTool(t, f.e, "import_file", f.args("https://files.oaiusercontent.com/x", "b.txt", nil)), "must be loopback while CODEXPRO_IMPORT_TEST_CA_FILE")
	f.e.Cfg.Import.AllowLoopback = false
	mustFail(t, callTool(t, f.e, "import_file", f.args(f.srv.URL+"/file", "c.txt", nil)), "without CODEXPRO_IMPORT_ALLOW_LOOPBACK")
	if f.dials.Load() != 1 {
		t.Fatalf("dials = %d, want only the allowed loopback import", f.dials.Load())
	}
}
