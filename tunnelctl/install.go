package tunnelctl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"
)

// Installer downloads the pinned cloudflared release into BinDir.
// Nothing is written to BinDir until the downloaded bytes match the pinned
// SHA-256; the binary then appears by an atomic rename, so a running
// cloudflared is never overwritten in place.
type Installer struct {
	BinDir   string     // $CODEXPRO_HOME/bin
	BaseURL  string     // release download base; "" = DefaultReleaseBaseURL
	Version  string     // "" = CloudflaredVersion
	Assets   AssetTable // nil = PinnedAssets(); only tests pass another table
	Platform string     // "" = Platform()
	MaxBytes int64      // 0 = MaxAssetBytes
	Client   *http.Client
	Log      zerolog.Logger
}

func (in Installer) withDefaults() Installer {
	if in.BaseURL == "" {
		in.BaseURL = DefaultReleaseBaseURL
	}
	if in.Version == "" {
		in.Version = CloudflaredVersion
	}
	if in.Assets == nil {
		in.Assets = PinnedAssets()
	}
	if in.Platform == "" {
		in.Platform = Platform()
	}
	if in.MaxBytes == 0 {
		in.MaxBytes = MaxAssetBytes
	}
	if in.Client == nil {
		in.Client = &http.Client{Transport: http.DefaultTransport}
	}
	return in
}

// Install downloads, verifies and installs cloudflared; it returns the installed path.
func (in Installer) Install(ctx context.Context) (string, error) {
	in = in.withDefaults()
	asset, err := in.Assets.Lookup(in.Platform)
	if err != nil {
		return "", err
	}
	url := strings.TrimRight(in.BaseURL, "/") + "/" + in.Version + "/" + asset.File
	in.Log.Info().Str("url", url).Msg("downloading the pinned cloudflared release")
	data, err := in.download(ctx, url)
	if err != nil {
		return "", err
	}
	if err := verifySHA256(asset, data); err != nil {
		return "", err
	}
	bin := data
	if asset.Archive {
		if bin, err = extractCloudflared(data, in.MaxBytes); err != nil {
			return "", fmt.Errorf("extract %s: %w; nothing was installed", asset.File, err)
		}
	}
	dest := filepath.Join(in.BinDir, binaryName(in.Platform))
	if err := installAtomically(ctx, in.BinDir, dest, bin); err != nil {
		return "", err
	}
	in.Log.Info().Str("path", dest).Str("version", in.Version).Msg("cloudflared installed")
	return dest, nil
}

func (in Installer) download(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", url, err)
	}
	req.Header.Set("User-Agent", "codexpro-tunnelctl")
	resp, err := in.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w\n%s", url, err, offlineHelp)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: HTTP %s", url, resp.Status)
	}
	if resp.ContentLength > in.MaxBytes {
		return nil, fmt.Errorf("refusing oversized cloudflared asset %s: %d bytes exceeds the %d-byte cap; nothing was installed", url, resp.ContentLength, in.MaxBytes)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, in.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: truncated after %d bytes: %w; nothing was installed", url, len(data), err)
	}
	if int64(len(data)) > in.MaxBytes {
		return nil, fmt.Errorf("refusing oversized cloudflared asset %s: more than the %d-byte cap; nothing was installed", url, in.MaxBytes)
	}
	if resp.ContentLength >= 0 && int64(len(data)) != resp.ContentLength {
		return nil, fmt.Errorf("download %s: truncated: got %d of %d bytes; nothing was installed", url, len(data), resp.ContentLength)
	}
	return data, nil
}

// offlineHelp is what to do when the release host cannot be reached
// (offline, DNS, proxy, firewall): every way to get a cloudflared.
const offlineHelp = `cloudflared could not be downloaded (offline, or the release host is blocked). Any of these works:
  - pass --cloudflared PATH (or set CLOUDFLARED_BIN) to a cloudflared you already have;
  - pass --release-base-url URL to a reachable mirror of the GitHub releases (the pinned SHA-256 still applies);
  - install cloudflared by hand (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/) and put it on PATH.`

func verifySHA256(a Asset, data []byte) error {
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])
	if !strings.EqualFold(got, a.SHA256) {
		return fmt.Errorf("checksum mismatch for %s: expected sha256 %s, received %s; nothing was installed", a.File, a.SHA256, got)
	}
	return nil
}

// installAtomically writes bin beside dest, proves it runs, then renames it over dest.
func installAtomically(ctx context.Context, dir, dest string, bin []byte) (err error) {
	if err := privateDir(dir); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".cloudflared-*.tmp")
	if err != nil {
		return fmt.Errorf("create temp file in %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := writeAndSync(f, bin); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("chmod %s: %w", tmp, err)
	}
	if _, err := CheckVersion(ctx, tmp); err != nil {
		return fmt.Errorf("the verified download does not run here: %w; nothing was installed", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("install %s: %w", dest, err)
	}
	return nil
}

func writeAndSync(f *os.File, data []byte) error {
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	return errors.Join(werr, serr, cerr)
}
