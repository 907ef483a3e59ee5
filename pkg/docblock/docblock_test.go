package docblock

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRewrite(t *testing.T) {
	b := Block{Begin: "<!-- b -->", End: "<!-- e -->"}
	path := filepath.Join(t.TempDir(), "doc.md")
	if err := os.WriteFile(path, []byte("head\n<!-- b -->\nold\n<!-- e -->\ntail\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := b.Rewrite(path, "new\n"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "head\n<!-- b -->\nnew\n<!-- e -->\ntail\n" {
		t.Fatalf("got %q", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if _, err := b.Replace("no markers", "x"); err == nil {
		t.Fatal("missing markers accepted")
	}
}
