//go:build !linux

package sandbox

import "fmt"

func (p Policy) restrict() error {
	if p.Mode == ModeLandlock {
		return fmt.Errorf("landlock required (--sandbox landlock) but this OS has no Landlock")
	}
	return nil
}
