package tools

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	_ "image/gif"  // registers GIF for image.DecodeConfig
	_ "image/jpeg" // registers JPEG
	_ "image/png"  // registers PNG
	"io"

	"github.com/mark3labs/mcp-go/mcp"
	_ "golang.org/x/image/webp" // registers WebP (lossy, lossless and VP8X)

	"codexpro.dev/mcpd/toolkit"
)

type viewImageIn struct {
	toolkit.WorkspaceArg
	Path     string `json:"path" jsonschema:"Image path relative to the workspace root (PNG, JPEG, GIF or WebP)"`
	MaxBytes int64  `json:"max_bytes,omitempty" jsonschema:"Largest image to return in bytes (4096 to 2000000)"`
}

type viewImageOut struct {
	WorkspaceID string `json:"workspace_id"`
	Root        string `json:"root"`
	Path        string `json:"path"`
	MimeType    string `json:"mime_type"`
	Width       *int   `json:"width"`
	Height      *int   `json:"height"`
	Bytes       int    `json:"bytes"`
	SHA256      string `json:"sha256"`

	data []byte
}

const (
	imageMinBytes     = 4096
	imageMaxBytes     = 2_000_000
	imageDefaultBytes = 1_000_000
)

// ViewImageTool returns an image as MCP image content. The type comes from
// the file's first bytes, never its name, so a renamed file cannot pass as
// an image; anything else is refused.
func ViewImageTool() toolkit.Tool {
	t := toolkit.Define(toolkit.Spec{
		Name: "view_image", Title: "View image", Kind: toolkit.ReadOnly, Sets: toolkit.Standard | toolkit.Full,
		Description: "Show a PNG, JPEG, GIF or WebP image from the workspace as image content, with its type, " +
			"dimensions, size and SHA-256. The type is detected from the bytes; other files are refused.",
	}, viewImage)
	return toolkit.WithContent(t, func(res *mcp.CallToolResult, out viewImageOut) {
		res.Content = append(res.Content, mcp.NewImageContent(base64.StdEncoding.EncodeToString(out.data), out.MimeType))
	})
}

func viewImage(ctx context.Context, e *toolkit.Env, in viewImageIn) (viewImageOut, string, error) {
	w := in.Workspace()
	limit, err := imageLimit(in.MaxBytes, e.Cfg.MaxReadBytes)
	if err != nil {
		return viewImageOut{}, "", err
	}
	f, rel, err := w.OpenRegular(in.Path)
	if err != nil {
		return viewImageOut{}, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return viewImageOut{}, "", fmt.Errorf("read %s: %w", rel, err)
	}
	if int64(len(data)) > limit {
		return viewImageOut{}, "", toolkit.UserErrorf("Image is too large: %s is over %d bytes. Raise max_bytes (up to %d).", rel, limit, imageMaxBytes)
	}
	mime := sniffImage(data)
	if mime == "" {
		return viewImageOut{}, "", toolkit.UserErrorf("Unsupported image format: %s. Use PNG, JPEG, GIF, or WebP.", rel)
	}
	out := viewImageOut{WorkspaceID: w.ID, Root: w.Root, Path: rel, MimeType: mime, Bytes: len(data), SHA256: sha256Hex(data), data: data}
	dims := "unknown"
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		out.Width, out.Height = &cfg.Width, &cfg.Height
		dims = fmt.Sprintf("%dx%d", cfg.Width, cfg.Height)
	}
	text := fmt.Sprintf("Image: %s\nType: %s\nDimensions: %s\nBytes: %d\nSHA-256: %s", rel, mime, dims, out.Bytes, out.SHA256)
	return out, text, nil
}

// imageLimit is max_bytes if given, else the larger of
// the read limit and 1 MB, never above 2 MB (as CodexPro 0.30 does).
func imageLimit(asked, maxRead int64) (int64, error) {
	if asked == 0 {
		return min(imageMaxBytes, max(maxRead, imageDefaultBytes)), nil
	}
	if asked < imageMinBytes || asked > imageMaxBytes {
		return 0, toolkit.UserErrorf("max_bytes must be between %d and %d, got %d.", imageMinBytes, imageMaxBytes, asked)
	}
	return asked, nil
}

// sniffImage names the image type from magic bytes, or "".
func sniffImage(p []byte) string {
	switch {
	case bytes.HasPrefix(p, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(p, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(p, []byte("GIF87a")), bytes.HasPrefix(p, []byte("GIF89a")):
		return "image/gif"
	case len(p) >= 12 && string(p[:4]) == "RIFF" && string(p[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}
