package handoff

import (
	"context"
	"path"
	"strings"

	"codexpro.dev/pkg/gitx"
	"codexpro.dev/pkg/workspace"
)

// hidden reports whether a workspace-relative path must stay out of what
// handoff writes for the model to read: blocked by the workspace blocklist,
// or inside the context directory itself.
func (s *session) hidden(rel string) bool {
	rel = path.Clean(rel)
	if rel == s.o.ContextDir || strings.HasPrefix(rel, s.o.ContextDir+"/") {
		return true
	}
	_, blocked := s.blocked.Match(rel)
	return blocked
}

// gitRepo is gitx pinned to the workspace with the same exclusions mcpd's
// git tools use, plus the context directory.
func (s *session) gitRepo() *gitx.Repo {
	exclude := append(workspace.DefaultGlobs(), s.o.BlockedGlobs...)
	return &gitx.Repo{
		Dir:       s.o.Root,
		Exclude:   append(exclude, s.o.ContextDir, s.o.ContextDir+"/**"),
		Blocked:   s.hidden,
		MaxOutput: s.o.MaxOutputBytes,
	}
}

// gitStatusExcerpt is `git status --short` of the workspace, filtered.
func (s *session) gitStatusExcerpt(ctx context.Context) string {
	st, err := s.gitRepo().Status(ctx, ".")
	if err != nil {
		return err.Error()
	}
	return st.Text()
}
