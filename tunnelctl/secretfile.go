package tunnelctl

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// MinTokenBytes is mcpd's minimum connector token length.
const MinTokenBytes = 24

// ReadSecretFile reads a token from a regular file that only its owner can
// read or write. setting names the flag or variable, for the error message.
func ReadSecretFile(path, setting string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", setting, path, err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s %s: must be a regular file, not %s", setting, path, fi.Mode().Type())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("%s %s: permissions %04o are too broad, other users could read the token: run chmod 600 %s", setting, path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", setting, path, err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("%s %s: the file is empty", setting, path)
	}
	return tok, nil
}

// GenerateToken returns 32 random bytes as hex, a fresh connector token.
func GenerateToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
