package workspace

import "io/fs"

// Remove deletes one file (never a directory) after the same checks as a
// write; a symlink is refused rather than removed, as for writes.
func (w *Workspace) Remove(input string) (string, error) {
	rel, err := w.resolveForWrite(input)
	if err != nil {
		return "", err
	}
	fi, err := w.root.Lstat(rel)
	if err != nil {
		return "", w.osError(err, input)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return "", refuse(RuleWriteThroughSymlink, input, "")
	}
	if !fi.Mode().IsRegular() {
		return "", refuse(RuleNotFile, input, "")
	}
	if err := w.root.Remove(rel); err != nil {
		return "", w.osError(err, input)
	}
	return rel, nil
}
