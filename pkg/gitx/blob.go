package gitx

import "context"

// Blob returns the content of rel (relative to the repository directory
// r.Dir) at rev: "HEAD" for the last commit, "" for the index. git
// cat-file runs no textconv or filter driver. Content past the output cap
// is cut, which is fine for its one use: redacting a diff against the
// whole file, where a cut keeps the beginning of a key block.
func (r *Repo) Blob(ctx context.Context, rev, rel string) (string, error) {
	out, err := r.run(ctx, "cat-file", "blob", rev+":./"+rel)
	if err != nil {
		return "", err
	}
	return out.text, nil
}
