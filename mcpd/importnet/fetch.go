package importnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Fetch downloads u into memory under the policy c describes, never more
// than limit bytes, and returns the body and its Content-Type. Its errors
// are sentences for the model and never contain the URL.
func Fetch(ctx context.Context, c Config, h Hooks, u *url.URL, limit int64) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	p, err := newImportPolicy(c, h)
	if err != nil {
		return nil, "", err
	}
	if err := p.check(ctx, u); err != nil {
		return nil, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", errors.New("Attachment download_url is not a valid URL.")
	}
	req.Header.Set("Accept", "*/*")
	req.Header.Set("User-Agent", userAgent)
	client := p.client()
	defer client.CloseIdleConnections() // one client per import: leave no idle connection behind
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", downloadError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, "", fmt.Errorf("Attachment download failed with HTTP %d.", resp.StatusCode)
	}
	if resp.ContentLength > limit {
		return nil, "", fmt.Errorf("Attachment exceeded import size limit (%d bytes).", limit)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(resp.Body, limit+1)); err != nil {
		return nil, "", downloadError(ctx, err)
	}
	if int64(buf.Len()) > limit {
		return nil, "", fmt.Errorf("Attachment exceeded import size limit (%d bytes).", limit)
	}
	return buf.Bytes(), resp.Header.Get("Content-Type"), nil
}

// downloadError strips the URL net/http puts in its errors: download URLs
// are bearer links and must not reach the model or the logs.
func downloadError(ctx context.Context, err error) error {
	if ctx.Err() == context.DeadlineExceeded {
		return errors.New("Attachment download timed out.")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("Attachment download failed: %v", err)
}
