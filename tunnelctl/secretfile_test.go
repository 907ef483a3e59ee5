package tunnelctl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSecretFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		os.Chmod(p, mode)
		return p
	}
	good := write("good", "  secret-token-value-long-enough\n", 0o600)
	link := filepath.Join(dir, "link")
	os.Symlink(good, link)
	cases := []struct {
		name, path, want, wantErr string
	}{
		{name: "0600 file is read and trimmed", path: good, want: "secret-token-value-long-enough"},
		{name: "0400 file is read", path: write("ro", "abc", 0o400), want: "abc"},
		{name: "0644 file is refused with chmod advice", path: write("wide", "abc", 0o644), wantErr: "run chmod 600 " + filepath.Join(dir, "wide")},
		{name: "group-readable file is refused", path: write("group", "abc", 0o640), wantErr: "too broad"},
		{name: "symlink is refused", path: link, wantErr: "must be a regular file"},
		{name: "directory is refused", path: dir, wantErr: "must be a regular file"},
		{name: "empty file is refused", path: write("empty", "\n", 0o600), wantErr: "empty"},
		{name: "missing file names the setting", path: filepath.Join(dir, "nope"), wantErr: "--cloudflare-token-file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadSecretFile(tc.path, "--cloudflare-token-file")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "abc") {
					t.Error("the error shows the file's content")
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestGenerateTokenIsFreshAndLongEnough(t *testing.T) {
	a, _ := GenerateToken()
	b, _ := GenerateToken()
	if a == b || len(a) < MinTokenBytes {
		t.Fatalf("tokens %q and %q", a, b)
	}
}
