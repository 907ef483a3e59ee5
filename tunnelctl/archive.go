package tunnelctl

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
)

// extractCloudflared returns the regular file named "cloudflared" from a .tgz
// held in memory. Nothing touches the disk, so hostile entry names
// ("../x", absolute paths, links) cannot escape anywhere.
func extractCloudflared(tgz []byte, maxBytes int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, fmt.Errorf("open gzip: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no regular file named cloudflared in the archive")
		}
		if err != nil {
			return nil, fmt.Errorf("read tar: %w", err)
		}
		if path.Base(h.Name) != "cloudflared" || h.Typeflag != tar.TypeReg {
			continue
		}
		if h.Size > maxBytes {
			return nil, fmt.Errorf("archived cloudflared is %d bytes, over the %d-byte cap", h.Size, maxBytes)
		}
		data, err := io.ReadAll(io.LimitReader(tr, maxBytes+1))
		if err != nil {
			return nil, fmt.Errorf("read cloudflared from tar: %w", err)
		}
		return data, nil
	}
}
