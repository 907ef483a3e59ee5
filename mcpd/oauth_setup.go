package mcpd

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"codexpro.dev/mcpd/oauth"
	"codexpro.dev/pkg/config"
)

// OAuthStorePath is where a workspace's OAuth clients and grants are kept:
// one private file per root, so two servers never write the same file.
func OAuthStorePath(home, root string) string {
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(home, "oauth", hex.EncodeToString(sum[:8])+".json")
}

// newOAuth builds the authorization server for --auth oauth, and returns
// its grant store for the admin page. Pairing codes go to out, the user's
// terminal, and nowhere else (never the log).
func newOAuth(s config.Settings, out io.Writer) (*oauth.Server, *oauth.Store, error) {
	store, err := oauth.OpenStore(OAuthStorePath(s.Home, s.Root), time.Now)
	if err != nil {
		return nil, nil, err
	}
	return oauth.New(oauth.Options{
		Store:         store,
		RedirectHosts: s.OAuthRedirectHosts,
		Access: []string{
			"mode " + s.Mode + ", " + s.ToolMode + " tools",
			"writes: " + s.WriteMode,
			"bash: " + s.BashMode + " (sandbox " + s.Sandbox + ")",
			"workspace roots: " + strings.Join(append([]string{s.Root}, s.AllowedRoots...), ", "),
		},
		Announce: func(client, code string, ttl time.Duration) {
			fmt.Fprintf(out, "\nPairing code for %q: %s (valid %d minutes, once)\n"+
				"Type it on the approval page only if you are connecting this client yourself.\n\n", client, code, int(ttl.Minutes()))
		},
	}), store, nil
}
