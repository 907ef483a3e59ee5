package search

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"codexpro.dev/pkg/workspace"
)

// start opens the search path through the guard (refusing escapes, blocked
// paths and symlinks leading outside) and queues it.
func (s *state) start() error {
	f, rel, err := s.w.Open(s.o.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", rel, err)
	}
	s.rootRel = rel
	if fi.Mode().IsRegular() {
		s.isFile = true
		return s.searchOne(f, rel, fi.Size())
	}
	if !fi.IsDir() {
		return &workspace.Refusal{Rule: workspace.RuleNotFile, Path: s.o.Path, Detail: "neither a file nor a directory"}
	}
	ref, err := s.src.root(f, rel)
	if err != nil {
		return err
	}
	s.stack = []job{{rel: rel, ign: s.ancestorIgnores(rel), ref: ref, ready: true}}
	return nil
}

// ancestorIgnores loads the .gitignore files of the directories above the
// search path, root first, as git applies them.
func (s *state) ancestorIgnores(rel string) *ignoreList {
	if rel == "." {
		return nil
	}
	var l *ignoreList
	dirs := []string{"."}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		dirs = append(dirs, strings.Join(parts[:i], "/"))
	}
	for _, d := range dirs {
		data, _, err := s.w.ReadFile(path.Join(d, ".gitignore"), maxIgnoreBytes)
		if err == nil {
			l = l.withFile(d, data)
		}
	}
	return l
}

// searchOne searches a file named directly by Path: the user asked for it,
// so the hidden, ignore and glob rules do not apply; the guard already did.
// Too large is an error here, as silence would read as "no matches".
func (s *state) searchOne(f fs.File, rel string, size int64) error {
	if size > s.o.MaxFileBytes {
		return &workspace.Refusal{Rule: workspace.RuleTooLarge, Path: s.o.Path,
			Detail: fmt.Sprintf("%d bytes; search reads files up to %d bytes", size, s.o.MaxFileBytes)}
	}
	var sc scratch
	data, err := readAll(f, size, &sc)
	if err != nil {
		return fmt.Errorf("read %s: %w", rel, err)
	}
	s.per = [][]Match{s.searchData(data, rel, &sc, nil)}
	return nil
}

func (s *state) result(ctx context.Context) (Result, error) {
	if !s.isFile {
		stopWatch := context.AfterFunc(ctx, s.halt)
		s.walk()
		stopWatch()
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("search cancelled: %w", err)
	}
	if s.err != nil {
		return Result{}, s.err
	}
	var all []Match
	for _, p := range s.per {
		all = append(all, p...)
	}
	sortMatches(all)
	r := Result{Files: int(s.files.Load()), Truncated: len(all) > s.o.MaxResults}
	if r.Truncated {
		all = all[:s.o.MaxResults]
	}
	if s.o.MaxTextBytes > 0 {
		size := int64(0)
		for i, m := range all {
			if size += textSize(m); size > s.o.MaxTextBytes {
				all, r.Truncated = all[:i], true
				break
			}
		}
	}
	r.Matches = all
	if r.Matches == nil {
		r.Matches = []Match{}
	}
	return r, nil
}
