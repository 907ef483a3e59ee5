package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/privfile"
)

// ReviewCmd shows what changed, as show_changes shows it to a model.
type ReviewCmd struct {
	RootFlag  `embed:""`
	SinceLast bool   `help:"Show only what is new since the last review (mcpd review or this flag); otherwise show every change."`
	Staged    bool   `help:"Review staged changes instead of the working tree."`
	Path      string `help:"Limit the review to this file or directory." placeholder:"PATH"`
	JSON      bool   `name:"json" help:"Print the tool's structured result as JSON."`
	NoPager   bool   `help:"Never page the output."`
}

// reviewMarksFile keeps the last review's fingerprints between runs,
// private like every file under CODEXPRO_HOME.
const reviewMarksFile = "review-marks.json"

func (a *app) review(ctx context.Context, c *ReviewCmd) error {
	_, home, err := config.Locate(c.Root, a.env)
	if err != nil {
		return err
	}
	marks, err := loadFileMarks(filepath.Join(home, reviewMarksFile))
	if err != nil {
		return err
	}
	since := "workspace"
	if c.SinceLast {
		since = "last_shown"
	}
	args := map[string]any{"since": since, "staged": c.Staged}
	if c.Path != "" {
		args["path"] = c.Path
	}
	res, err := a.callLocal(ctx, c.Root, marks, "show_changes", args)
	if err != nil {
		return err
	}
	if err := marks.save(); err != nil {
		return err
	}
	if c.JSON || c.NoPager || !a.tty {
		return a.printResult(res, c.JSON)
	}
	return page(ctx, res.Text+"\n", a.stdout, a.env)
}

// fileMarks is show_changes' review memory kept in a private file.
type fileMarks struct {
	path  string
	mu    sync.Mutex
	m     map[string]string
	dirty bool
}

func loadFileMarks(path string) (*fileMarks, error) {
	f := &fileMarks{path: path, m: map[string]string{}}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("read the review marks %s: %w", path, err)
	}
	if err := json.Unmarshal(data, &f.m); err != nil {
		return nil, fmt.Errorf("read the review marks %s: %v (delete the file to start over)", path, err)
	}
	return f, nil
}

func (f *fileMarks) Seen(key, fp string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.m[key] == fp
}

func (f *fileMarks) Mark(key, fp string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m[key] != fp {
		f.m[key], f.dirty = fp, true
	}
}

// save writes the marks when a review changed them.
func (f *fileMarks) save() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.dirty {
		return nil
	}
	data, err := json.Marshal(f.m)
	if err != nil {
		return err
	}
	return privfile.Write(f.path, data)
}

// page shows text through the user's pager ($PAGER, else less), or prints
// it when there is none.
func page(ctx context.Context, text string, stdout io.Writer, env func(string) (string, bool)) error {
	argv := []string{"less", "-FRX"}
	if p, ok := env("PAGER"); ok && strings.TrimSpace(p) != "" {
		argv = strings.Fields(p)
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		_, err := io.WriteString(stdout, text)
		return err
	}
	cmd := exec.CommandContext(ctx, path, argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(text), stdout, os.Stderr
	return cmd.Run()
}
