package tools

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"codexpro.dev/mcpd/importnet"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

type importFileRef struct {
	DownloadURL string `json:"download_url" jsonschema:"Temporary download URL of the ChatGPT file"`
	FileID      string `json:"file_id" jsonschema:"ChatGPT file id"`
	MimeType    string `json:"mime_type,omitempty" jsonschema:"Declared MIME type"`
	FileName    string `json:"file_name,omitempty" jsonschema:"Original file name"`
}

type importIn struct {
	toolkit.WorkspaceArg
	File           importFileRef `json:"file" jsonschema:"Apps SDK file object (download_url and file_id) for a file the user attached in ChatGPT"`
	Destination    string        `json:"destination" jsonschema:"Destination path relative to the workspace root"`
	Overwrite      bool          `json:"overwrite,omitempty" jsonschema:"Replace an existing destination file (default false)"`
	ExpectedSHA256 string        `json:"expected_sha256,omitempty" jsonschema:"SHA-256 the downloaded bytes must have; nothing is written on mismatch"`
}

type importOut struct {
	WorkspaceID      string `json:"workspace_id"`
	Root             string `json:"root"`
	Path             string `json:"path"`
	Bytes            int    `json:"bytes"`
	DeclaredMimeType string `json:"declared_mime_type"`
	DetectedMimeType string `json:"detected_mime_type"`
	MimeTypeStatus   string `json:"mime_type_status"`
	SHA256           string `json:"sha256"`
	Verified         bool   `json:"verified"`
	FileID           string `json:"file_id"`
	FileName         string `json:"file_name"`
	Overwritten      bool   `json:"overwritten"`
}

// ImportFileTool downloads a file the user attached in ChatGPT into the
// workspace. Only https URLs on ChatGPT's file origins are fetched, every
// address is checked before connecting, and the download_url (a bearer
// link) is never echoed.
func ImportFileTool() toolkit.Tool {
	t := toolkit.Define(toolkit.Spec{
		Name: "import_file", Title: "Import attached file", Kind: toolkit.LocalWrite, Sets: toolkit.AllSets,
		Description: "Save a file the user attached in ChatGPT (Apps SDK file object with download_url and file_id) into the workspace. " +
			"HTTPS from ChatGPT file origins only; size-capped; optional expected_sha256; overwrite only when asked.",
	}, importFile)
	t.Def.Meta = mcp.NewMetaFromMap(map[string]any{"openai/fileParams": []string{"file"}})
	return t
}

func importFile(ctx context.Context, e *toolkit.Env, in importIn) (importOut, string, error) {
	u, err := importURL(in.File)
	if err != nil {
		return importOut{}, "", err
	}
	if in.ExpectedSHA256 != "" && (len(in.ExpectedSHA256) != 64 || strings.Trim(strings.ToLower(in.ExpectedSHA256), "0123456789abcdef") != "") {
		return importOut{}, "", toolkit.UserErrorf("expected_sha256 must be 64 hex characters.")
	}
	w, rel, err := importTarget(ctx, e, in)
	if err != nil {
		return importOut{}, "", err
	}
	data, contentType, err := importnet.Fetch(ctx, e.Cfg.Import, *toolkit.State[importnet.Hooks](e), u, e.Cfg.MaxImportBytes)
	if err != nil {
		return importOut{}, "", toolkit.UserErrorf("%v", err)
	}
	sum := sha256Hex(data)
	if in.ExpectedSHA256 != "" && !strings.EqualFold(sum, in.ExpectedSHA256) {
		return importOut{}, "", toolkit.UserErrorf("Attachment SHA-256 mismatch for %s: expected %s, got %s. Nothing was written.", rel, strings.ToLower(in.ExpectedSHA256), sum)
	}
	unlock := w.Lock(rel)
	defer unlock()
	existed, err := destinationFree(w, rel, in.Overwrite)
	if err != nil {
		return importOut{}, "", err
	}
	if err := refuseSecret(e, "import_file", rel, priorText(w, rel, existed, e.Cfg.MaxImportBytes), string(data)); err != nil {
		return importOut{}, "", err
	}
	if _, err := w.WriteFile(rel, data, 0); err != nil {
		return importOut{}, "", err
	}
	out := importOut{WorkspaceID: w.ID, Root: w.Root, Path: rel, Bytes: len(data), SHA256: sum,
		Verified: in.ExpectedSHA256 != "", FileID: in.File.FileID, FileName: in.File.FileName, Overwritten: existed}
	out.DeclaredMimeType, out.DetectedMimeType, out.MimeTypeStatus = mimeStatus(in.File.MimeType, contentType, data)
	text := fmt.Sprintf("Imported %s (%d bytes, SHA-256 %s, type %s, %s)", rel, out.Bytes, sum, out.DetectedMimeType, out.MimeTypeStatus)
	return out, text, nil
}

// importURL accepts only an Apps SDK file object whose URL is https.
func importURL(ref importFileRef) (*url.URL, error) {
	if strings.TrimSpace(ref.DownloadURL) == "" || strings.TrimSpace(ref.FileID) == "" {
		return nil, toolkit.UserErrorf("Unsupported attachment reference. ChatGPT must pass an Apps SDK file object with download_url and file_id.")
	}
	u, err := url.Parse(strings.TrimSpace(ref.DownloadURL))
	if err != nil {
		return nil, toolkit.UserErrorf("Attachment download_url is not a valid URL.")
	}
	if u.Scheme != "https" {
		return nil, toolkit.UserErrorf("Attachment download_url must use HTTPS.")
	}
	return u, nil
}

// importTarget resolves the destination before any download, so a refused
// path costs no network traffic.
func importTarget(ctx context.Context, e *toolkit.Env, in importIn) (*workspace.Workspace, string, error) {
	w := in.Workspace()
	rel, err := w.Resolve(in.Destination)
	if err != nil {
		return nil, "", err
	}
	if err := writeAllowed(e.Cfg, "import_file", rel); err != nil {
		return nil, "", err
	}
	if _, err := destinationFree(w, rel, in.Overwrite); err != nil {
		return nil, "", err
	}
	return w, rel, nil
}

// destinationFree reports whether rel exists, refusing when it does and
// overwrite is off, or when it is not a regular file.
func destinationFree(w *workspace.Workspace, rel string, overwrite bool) (bool, error) {
	fi, _, err := w.Stat(rel)
	switch {
	case workspace.RuleOf(err) == workspace.RuleNotFound:
		return false, nil
	case err != nil:
		return false, err
	case !fi.Mode().IsRegular():
		return false, toolkit.UserErrorf("Destination is not a regular file: %s", rel)
	case !overwrite:
		return false, toolkit.UserErrorf("Destination already exists and overwrite=false: %s", rel)
	}
	return true, nil
}

// priorText is an existing destination's content, for the write gate; a
// file too large or unreadable counts as holding nothing.
func priorText(w *workspace.Workspace, rel string, existed bool, limit int64) string {
	if !existed {
		return ""
	}
	data, _, err := w.ReadFile(rel, limit)
	if err != nil {
		return ""
	}
	return string(data)
}

// mimeStatus compares the declared type (argument, else Content-Type)
// with the type sniffed from the first bytes.
func mimeStatus(declared, contentType string, data []byte) (string, string, string) {
	if declared == "" {
		declared = contentType
	}
	if mt, _, err := mime.ParseMediaType(declared); err == nil {
		declared = mt
	}
	declared = strings.ToLower(strings.TrimSpace(declared))
	detected := sniffImport(data)
	switch {
	case detected == "" || declared == "":
		return declared, detected, "unknown"
	case detected == declared:
		return declared, detected, "matched"
	}
	return declared, detected, "mismatched"
}

func sniffImport(p []byte) string {
	if m := sniffImage(p); m != "" {
		return m
	}
	switch {
	case bytes.HasPrefix(p, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(p, []byte("PK\x03\x04")), bytes.HasPrefix(p, []byte("PK\x05\x06")), bytes.HasPrefix(p, []byte("PK\x07\x08")):
		return "application/zip"
	case bytes.HasPrefix(p, []byte{0x1f, 0x8b}):
		return "application/gzip"
	}
	return ""
}
