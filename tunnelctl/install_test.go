package tunnelctl

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// releaseServer plays the GitHub release download site on loopback.
type releaseServer struct {
	files    map[string][]byte // path -> body
	truncate bool              // declare the full length, send half, close
	chunked  bool              // send no Content-Length
	hits     int
}

func (rs *releaseServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rs.hits++
	body, ok := rs.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch {
	case rs.truncate:
		conn, buf, _ := w.(http.Hijacker).Hijack()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(body))
		buf.Write(body[:len(body)/2])
		buf.Flush()
		conn.Close()
	case rs.chunked:
		w.WriteHeader(http.StatusOK)
		w.Write(body)
		w.(http.Flusher).Flush()
	default:
		w.Write(body)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func readFake(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(fakes.Cloudflared)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func tgzOf(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "../evil", Mode: 0o755, Size: 4, Typeflag: tar.TypeReg})
	tw.Write([]byte("evil"))
	tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data)), Typeflag: tar.TypeReg})
	tw.Write(data)
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// assertNothingInstalled fails if the bin directory holds any file at all.
func assertNothingInstalled(t *testing.T, binDir string) {
	t.Helper()
	entries, err := os.ReadDir(binDir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in %s: %s", binDir, e.Name())
	}
}

func TestInstall(t *testing.T) {
	fake := readFake(t)
	// A script answering --version keeps archives small; one case installs the real fake binary.
	script := []byte("#!/bin/sh\necho 'cloudflared version 9.9.9 (script)'\n")
	const file = "cloudflared-test-amd64"
	cases := []struct {
		name     string
		asset    Asset
		body     []byte
		server   releaseServer
		maxBytes int64
		wantErr  string
	}{
		{name: "good asset installs", asset: Asset{File: file, SHA256: sha(fake)}, body: fake},
		{name: "good tgz extracts cloudflared", asset: Asset{File: file + ".tgz", Archive: true}, body: tgzOf(t, "pkg/cloudflared", script)},
		{name: "wrong checksum refused", asset: Asset{File: file, SHA256: sha([]byte("other"))}, body: script, wantErr: "checksum mismatch"},
		{name: "oversized by Content-Length refused", body: script, maxBytes: 16, wantErr: "exceeds the 16-byte cap"},
		{name: "oversized while streaming refused", body: script, maxBytes: 16, server: releaseServer{chunked: true}, wantErr: "more than the 16-byte cap"},
		{name: "truncated refused", body: script, server: releaseServer{truncate: true}, wantErr: "truncated"},
		{name: "tgz without cloudflared refused", asset: Asset{File: file + ".tgz", Archive: true}, body: tgzOf(t, "README", script), wantErr: "no regular file named cloudflared"},
		{name: "asset that does not run refused", asset: Asset{File: file}, body: []byte("#!/bin/sh\nexit 7\n"), wantErr: "does not run"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.asset.File == "" {
				tc.asset.File = file
			}
			if tc.asset.SHA256 == "" {
				tc.asset.SHA256 = sha(tc.body)
			}
			rs := tc.server
			rs.files = map[string][]byte{"/9.9.9/" + tc.asset.File: tc.body}
			srv := httptest.NewServer(&rs)
			defer srv.Close()
			binDir := filepath.Join(t.TempDir(), "home", "bin")
			in := Installer{BinDir: binDir, BaseURL: srv.URL, Version: "9.9.9", Platform: "linux/amd64",
				Assets: AssetTable{"linux/amd64": tc.asset}, MaxBytes: tc.maxBytes}
			got, err := in.Install(context.Background())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				assertNothingInstalled(t, binDir)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != filepath.Join(binDir, "cloudflared") {
				t.Errorf("installed at %s", got)
			}
			v, err := CheckVersion(context.Background(), got)
			if err != nil || !strings.Contains(v, "cloudflared version") {
				t.Errorf("installed binary --version = %q, %v", v, err)
			}
			if entries, _ := os.ReadDir(binDir); len(entries) != 1 {
				t.Errorf("bin dir holds %v, want only cloudflared", entries)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(binDir), "evil")); err == nil {
				t.Error("a ../ entry of the archive was written")
			}
			if fi, _ := os.Stat(binDir); fi.Mode().Perm() != 0o700 {
				t.Errorf("bin dir mode %v, want 0700", fi.Mode().Perm())
			}
		})
	}
}

func TestPinnedAssetsCoverReleasePlatforms(t *testing.T) {
	table := PinnedAssets()
	for _, p := range []string{"linux/amd64", "linux/arm64", "linux/arm", "linux/386", "darwin/arm64", "darwin/amd64", "windows/amd64", "windows/386"} {
		a, err := table.Lookup(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if len(a.SHA256) != 64 || strings.ToLower(a.SHA256) != a.SHA256 {
			t.Errorf("%s: sha256 %q is not 64 lowercase hex", p, a.SHA256)
		}
		if a.Archive != strings.HasSuffix(a.File, ".tgz") {
			t.Errorf("%s: archive flag disagrees with %s", p, a.File)
		}
	}
	if _, err := table.Lookup("freebsd/amd64"); err == nil || !strings.Contains(err.Error(), "--cloudflared") {
		t.Errorf("unsupported platform error = %v, want a hint to pass --cloudflared", err)
	}
	table["linux/amd64"] = Asset{}
	if PinnedAssets()["linux/amd64"].SHA256 == "" {
		t.Error("a caller could overwrite the pinned table")
	}
}

// TestInstallRefusesPinnedMismatch shows that pointing --release-base-url at
// another server does not bypass the pinned checksum.
func TestInstallRefusesPinnedMismatch(t *testing.T) {
	fake := readFake(t)
	a, _ := PinnedAssets().Lookup("linux/amd64")
	rs := releaseServer{files: map[string][]byte{"/" + CloudflaredVersion + "/" + a.File: fake}}
	srv := httptest.NewServer(&rs)
	defer srv.Close()
	binDir := filepath.Join(t.TempDir(), "bin")
	_, err := Installer{BinDir: binDir, BaseURL: srv.URL, Platform: "linux/amd64"}.Install(context.Background())
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") || !strings.Contains(err.Error(), a.SHA256) {
		t.Fatalf("err = %v, want a checksum mismatch naming the pinned hash", err)
	}
	assertNothingInstalled(t, binDir)
}

// TestInstallOfflineSaysWhatToDo: an unreachable release host (offline,
// DNS, firewall) ends in the three ways out, not a bare dial error.
func TestInstallOfflineSaysWhatToDo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused
	in := Installer{BinDir: t.TempDir(), BaseURL: base}
	_, err = in.Install(context.Background())
	if err == nil {
		t.Fatal("installed from a closed port")
	}
	for _, want := range []string{"--cloudflared PATH", "--release-base-url URL", "install cloudflared by hand"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
