package tools

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// webp1x1 is a 1x1 lossless WebP (no encoder in the standard library).
const webp1x1 = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="

func encodedImages(t *testing.T) map[string]string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 7, 5))
	img.Set(1, 1, color.RGBA{R: 255, A: 255})
	var p, j, g bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&g, img, nil); err != nil {
		t.Fatal(err)
	}
	w, _ := base64.StdEncoding.DecodeString(webp1x1)
	return map[string]string{"a.png": p.String(), "a.jpg": j.String(), "a.gif": g.String(), "a.webp": string(w),
		// a PNG under a misleading name is still a PNG: the bytes decide
		"disguised.txt": p.String(), "fake.png": "this is text, not an image"}
}

func TestViewImage(t *testing.T) {
	e, _ := newTestEnv(t, encodedImages(t))
	tests := []struct {
		path, mime string
		w, h       float64
	}{
		{"a.png", "image/png", 7, 5},
		{"a.jpg", "image/jpeg", 7, 5},
		{"a.gif", "image/gif", 7, 5},
		{"a.webp", "image/webp", 1, 1},
		{"disguised.txt", "image/png", 7, 5},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			r := callTool(t, e, "view_image", map[string]any{"path": tc.path})
			s := mustOK(t, r)
			if s["mime_type"] != tc.mime || s["width"] != tc.w || s["height"] != tc.h {
				t.Fatalf("got %v %vx%v, want %s %vx%v", s["mime_type"], s["width"], s["height"], tc.mime, tc.w, tc.h)
			}
			img := imagePart(t, r)
			if img.MIMEType != tc.mime {
				t.Fatalf("image content type %s, want %s", img.MIMEType, tc.mime)
			}
			raw, err := base64.StdEncoding.DecodeString(img.Data)
			if err != nil || sha256Hex(raw) != s["sha256"] {
				t.Fatalf("image data does not match the reported sha256 (%v)", err)
			}
			if _, leaked := s["data"]; leaked {
				t.Fatal("image bytes leaked into structured content")
			}
		})
	}
}

func imagePart(t *testing.T, r *mcp.CallToolResult) mcp.ImageContent {
	t.Helper()
	if len(r.Content) != 2 {
		t.Fatalf("want text + image content, got %d parts", len(r.Content))
	}
	img, ok := r.Content[1].(mcp.ImageContent)
	if !ok {
		t.Fatalf("second part is %T, want image", r.Content[1])
	}
	return img
}

func TestViewImageRefusals(t *testing.T) {
	files := encodedImages(t)
	files["big.png"] = "\x89PNG\r\n\x1a\n" + strings.Repeat("x", 5000)
	files[".env"] = files["a.png"]
	e, _ := newTestEnv(t, files)
	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"text named .png", map[string]any{"path": "fake.png"}, "Unsupported image format"},
		{"over max_bytes", map[string]any{"path": "big.png", "max_bytes": 4096}, "Image is too large"},
		{"max_bytes below range", map[string]any{"path": "a.png", "max_bytes": 10}, "max_bytes must be between"},
		{"blocked path", map[string]any{"path": ".env"}, "blocked"},
		{"escape", map[string]any{"path": "../x.png"}, "escapes"},
		{"missing", map[string]any{"path": "nope.png"}, "No such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustFail(t, callTool(t, e, "view_image", tc.args), tc.want)
		})
	}
}
