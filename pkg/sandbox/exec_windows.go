package sandbox

import "errors"

// replaceProcess cannot exist on Windows: there is no exec, and no OS
// sandbox for it to carry (Wrap never asks for one there).
func replaceProcess(string, []string) error {
	return errors.New("windows has no OS sandbox and no exec: refusing to run a confined child")
}
