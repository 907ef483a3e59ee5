package tunnelctl

import (
	"fmt"
	"os"
	"path/filepath"
)

// Home returns $CODEXPRO_HOME, or ~/.codexpro when it is unset, as an absolute path.
func Home(getenv func(string) string) (string, error) {
	if h := getenv("CODEXPRO_HOME"); h != "" {
		abs, err := filepath.Abs(h)
		if err != nil {
			return "", fmt.Errorf("CODEXPRO_HOME %q: %w", h, err)
		}
		return abs, nil
	}
	u, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find home directory for ~/.codexpro (set CODEXPRO_HOME): %w", err)
	}
	return filepath.Join(u, ".codexpro"), nil
}

// privateDir creates dir (and parents) and makes sure dir itself is 0700,
// because it holds binaries we execute and files that describe live tunnels.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("chmod 700 %s: %w", dir, err)
	}
	return nil
}
