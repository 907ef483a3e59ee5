package tunnelctl

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// httpOK GETs url (with a bearer token when given) and wants a 200.
func httpOK(ctx context.Context, c *http.Client, url, bearer string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %s", redactURL(url), resp.Status)
	}
	return nil
}

// loopbackClient never uses a proxy: probes of local children must not leave the machine.
func loopbackClient() *http.Client {
	return &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
}
