package tunnelctl

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func writeScript(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func copyFake(t *testing.T, dest string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dest, readFake(t), 0o755); err != nil {
		t.Fatal(err)
	}
	return dest
}

// TestResolveOrder walks every case of the documented resolution order:
// explicit path; PATH; $CODEXPRO_HOME/bin; download unless --no-install-cloudflared.
func TestResolveOrder(t *testing.T) {
	fake := readFake(t)
	const file = "cloudflared-linux-amd64"
	type env struct {
		explicit            string
		pathGood, pathBad   bool
		homeGood, homeBad   bool
		force, noInstall    bool
		explicitNonexistent bool
	}
	cases := []struct {
		name       string
		env        env
		wantSource string
		wantErr    string
		wantHits   int
	}{
		{name: "explicit wins over PATH and home", env: env{explicit: "good", pathGood: true, homeGood: true}, wantSource: SourceExplicit},
		{name: "explicit missing is an error, not a fallback", env: env{explicitNonexistent: true, pathGood: true}, wantErr: "cloudflared was not found at"},
		{name: "explicit broken is an error", env: env{explicit: "bad", pathGood: true}, wantErr: "is not a working cloudflared"},
		{name: "explicit with --install-cloudflared is refused", env: env{explicit: "good", force: true}, wantErr: "--install-cloudflared would ignore"},
		{name: "PATH before home", env: env{pathGood: true, homeGood: true}, wantSource: SourcePath},
		{name: "broken PATH falls through to home", env: env{pathBad: true, homeGood: true}, wantSource: SourceHome},
		{name: "home when not on PATH", env: env{homeGood: true}, wantSource: SourceHome},
		{name: "download when nothing is found", env: env{}, wantSource: SourceInstalled, wantHits: 1},
		{name: "broken home is replaced by a download", env: env{homeBad: true}, wantSource: SourceInstalled, wantHits: 1},
		{name: "--no-install-cloudflared with nothing found fails", env: env{noInstall: true}, wantErr: "--no-install-cloudflared forbids downloading"},
		{name: "--no-install-cloudflared never returns a broken home copy", env: env{homeBad: true, noInstall: true}, wantErr: "--no-install-cloudflared"},
		{name: "--install-cloudflared skips PATH and home", env: env{pathGood: true, homeGood: true, force: true}, wantSource: SourceInstalled, wantHits: 1},
		{name: "both install flags contradict", env: env{force: true, noInstall: true}, wantErr: "contradict"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			binDir := filepath.Join(dir, "home", "bin")
			pathDir := filepath.Join(dir, "path")
			rs := releaseServer{files: map[string][]byte{"/1.0/" + file: fake}}
			srv := httptest.NewServer(&rs)
			defer srv.Close()
			e := tc.env
			switch {
			case e.pathGood:
				copyFake(t, filepath.Join(pathDir, "cloudflared"))
			case e.pathBad:
				writeScript(t, filepath.Join(pathDir, "cloudflared"), "exit 1")
			}
			switch {
			case e.homeGood:
				copyFake(t, filepath.Join(binDir, "cloudflared"))
			case e.homeBad:
				writeScript(t, filepath.Join(binDir, "cloudflared"), "exit 1")
			}
			r := Resolver{
				ForceInstall: e.force, NoInstall: e.noInstall,
				LookPath: func(name string) (string, error) {
					p := filepath.Join(pathDir, name)
					if _, err := os.Stat(p); err != nil {
						return "", exec.ErrNotFound
					}
					return p, nil
				},
				Installer: Installer{BinDir: binDir, BaseURL: srv.URL, Version: "1.0", Platform: "linux/amd64",
					Assets: AssetTable{"linux/amd64": {File: file, SHA256: sha(fake)}}},
			}
			switch {
			case e.explicit == "good":
				r.Explicit = copyFake(t, filepath.Join(dir, "explicit", "cloudflared"))
			case e.explicit == "bad":
				r.Explicit = writeScript(t, filepath.Join(dir, "explicit", "cloudflared"), "exit 1")
			case e.explicitNonexistent:
				r.Explicit = filepath.Join(dir, "nope", "cloudflared")
			}
			got, err := r.Resolve(context.Background())
			if rs.hits != tc.wantHits {
				t.Errorf("release server hits = %d, want %d", rs.hits, tc.wantHits)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Source != tc.wantSource || !strings.Contains(got.Version, "cloudflared version") {
				t.Errorf("got %+v, want source %s", got, tc.wantSource)
			}
		})
	}
}
