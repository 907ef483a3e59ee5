package tools

import (
	"context"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

type treeIn struct {
	toolkit.WorkspaceArg
	Path          string `json:"path,omitempty" jsonschema:"Directory to show, relative to the workspace root; default ."`
	MaxDepth      int    `json:"max_depth,omitempty" jsonschema:"Levels below path to show, 1 to 12; default 4"`
	IncludeHidden bool   `json:"include_hidden,omitempty" jsonschema:"Also show dot files and dot directories; default false"`
	MaxEntries    int    `json:"max_entries,omitempty" jsonschema:"Stop after this many entries, 1 to 3000; default 800"`
}

type treeOut struct {
	WorkspaceID string `json:"workspace_id"`
	Root        string `json:"root"`
	Text        string `json:"text"`
	Entries     int    `json:"entries"`
	Truncated   bool   `json:"truncated"`
}

// TreeTool draws a directory as an indented tree.
func TreeTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "tree", Title: "Show tree", Kind: toolkit.ReadOnly, Sets: toolkit.Standard | toolkit.Full,
		Description: "Show the workspace (or a directory in it) as a tree: directories first, then files, by name; " +
			"directories end in /. Blocked paths (.env, keys, .git, node_modules, …) are never shown and hidden " +
			"entries only with include_hidden. Symlinks are not followed: one to a place inside the workspace shows " +
			"as `name -> target`, one leading outside as `name [link outside workspace]`.",
	}, showTree)
}

func showTree(ctx context.Context, e *toolkit.Env, in treeIn) (treeOut, string, error) {
	w := in.Workspace()
	depth, err := intArg("max_depth", in.MaxDepth, 4, 1, 12)
	if err != nil {
		return treeOut{}, "", err
	}
	entries, err := intArg("max_entries", in.MaxEntries, 800, 1, 3000)
	if err != nil {
		return treeOut{}, "", err
	}
	t, err := Tree(w, in.Path, TreeOptions{MaxDepth: depth, MaxEntries: entries, IncludeHidden: in.IncludeHidden})
	if err != nil {
		return treeOut{}, "", err
	}
	return treeOut{WorkspaceID: w.ID, Root: w.Root, Text: t.Text, Entries: t.Entries, Truncated: t.Truncated}, t.Text, nil
}

// intArg applies a default to an unset (zero) integer argument and checks
// its range, naming the argument when it is out of range.
func intArg(name string, v, def, lo, hi int) (int, error) {
	if v == 0 {
		return def, nil
	}
	if v < lo || v > hi {
		return 0, toolkit.UserErrorf("%s must be between %d and %d, got %d.", name, lo, hi, v)
	}
	return v, nil
}

// TreeOptions bound a tree listing.
type TreeOptions struct {
	MaxDepth      int
	MaxEntries    int
	IncludeHidden bool
}

// TreeListing is a rendered tree.
type TreeListing struct {
	Rel       string
	Text      string
	Entries   int
	Truncated bool
}

// Tree renders the directory input of w. Other tools that show a tree
// (open_workspace, workspace_snapshot) use it too. A subdirectory that
// cannot be listed is marked, not fatal.
func Tree(w *workspace.Workspace, input string, o TreeOptions) (TreeListing, error) {
	list, rel, err := w.ReadDir(input)
	if err != nil {
		return TreeListing{}, err
	}
	head := rel + "/"
	if rel == "." {
		head = "."
	}
	tb := treeBuilder{w: w, o: o}
	tb.b.WriteString(head)
	tb.level(rel, list, "", 1)
	if tb.truncated {
		tb.b.WriteString("\n...[tree truncated after " + strconv.Itoa(tb.entries) + " entries]")
	}
	return TreeListing{Rel: rel, Text: tb.b.String(), Entries: tb.entries, Truncated: tb.truncated}, nil
}

type treeBuilder struct {
	w         *workspace.Workspace
	o         TreeOptions
	b         strings.Builder
	entries   int
	truncated bool
}

// treeEntry is one visible child of a directory.
type treeEntry struct {
	name, rel string
	dir       bool
	label     string // what the line shows after the branch
}

func (t *treeBuilder) level(rel string, list []fs.DirEntry, prefix string, depth int) {
	kids := t.visible(rel, list)
	for i, k := range kids {
		if t.entries >= t.o.MaxEntries {
			t.truncated = true
			return
		}
		last := i == len(kids)-1
		branch, indent := "├── ", "│   "
		if last {
			branch, indent = "└── ", "    "
		}
		var sub []fs.DirEntry
		label := k.label
		if k.dir && depth < t.o.MaxDepth {
			var err error
			if sub, _, err = t.w.ReadDir(k.rel); err != nil {
				label += " [unreadable]"
			}
		}
		t.b.WriteString("\n" + prefix + branch + label)
		t.entries++
		if len(sub) > 0 {
			t.level(k.rel, sub, prefix+indent, depth+1)
		}
		if t.truncated {
			return
		}
	}
}

// visible filters a listing (temp files, hidden, blocked, links to blocked
// places) and sorts it: directories first, then by name.
func (t *treeBuilder) visible(rel string, list []fs.DirEntry) []treeEntry {
	kids := make([]treeEntry, 0, len(list))
	for _, d := range list {
		name := d.Name()
		if workspace.IsTempName(name) || (!t.o.IncludeHidden && strings.HasPrefix(name, ".")) {
			continue
		}
		k := treeEntry{name: name, rel: path.Join(rel, name), label: name}
		if _, blocked := t.w.Blocked(k.rel); blocked {
			continue
		}
		switch {
		case d.IsDir():
			k.dir, k.label = true, name+"/"
		case d.Type()&fs.ModeSymlink != 0:
			label, ok := t.linkLabel(k.rel, name)
			if !ok {
				continue
			}
			k.label = label
		}
		kids = append(kids, k)
	}
	slices.SortFunc(kids, func(a, b treeEntry) int {
		if a.dir != b.dir {
			if a.dir {
				return -1
			}
			return 1
		}
		if c := strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	return kids
}

// linkLabel describes a symlink without following it out of the workspace:
// its target is shown only when the guard accepts it; a link to a blocked
// place is not shown at all.
func (t *treeBuilder) linkLabel(rel, name string) (string, bool) {
	target, err := t.w.Resolve(rel)
	switch workspace.RuleOf(err) {
	case "":
	case workspace.RuleBlocked:
		return "", false
	case workspace.RuleSymlinkEscape, workspace.RuleEscape:
		return name + " [link outside workspace]", true
	default:
		return name + " [broken link]", true
	}
	fi, _, err := t.w.Stat(target)
	switch {
	case err != nil:
		return name + " -> " + target + " [broken link]", true
	case fi.IsDir():
		return name + " -> " + target + "/", true
	}
	return name + " -> " + target, true
}
