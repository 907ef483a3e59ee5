//go:build !linux

package workspace

import "os"

// kernelPath is unavailable here; os.Root's confinement still holds.
func kernelPath(*os.File) (string, bool) { return "", false }
