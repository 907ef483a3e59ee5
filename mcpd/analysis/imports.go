package analysis

import (
	"path"
	"sort"
	"strings"
)

// importIndex resolves import specs to workspace files (TS/JS, Python) or
// package directories (Go, through the go.mod files in the tree).
type importIndex struct {
	files   map[string]bool
	dirs    map[string]bool
	modules []goModule // longest path first
}

type goModule struct{ path, dir string }

var jsExtensions = []string{".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"}

func newImportIndex(files []walkedFile, entries []*fileEntry) *importIndex {
	idx := &importIndex{files: make(map[string]bool, len(files)), dirs: map[string]bool{}}
	for i, f := range files {
		idx.files[f.rel] = true
		idx.dirs[path.Dir(f.rel)] = true
		if mod := entries[i].scan.module; mod != "" {
			idx.modules = append(idx.modules, goModule{mod, path.Dir(f.rel)})
		}
	}
	sort.Slice(idx.modules, func(i, j int) bool { return len(idx.modules[i].path) > len(idx.modules[j].path) })
	return idx
}

func (x *importIndex) resolve(from, lang, spec string) string {
	switch lang {
	case "typescript", "javascript":
		return x.resolveJS(from, spec)
	case "python":
		return x.resolvePython(from, spec)
	case "go":
		return x.resolveGo(spec)
	}
	return ""
}

func (x *importIndex) resolveJS(from, spec string) string {
	if !strings.HasPrefix(spec, ".") {
		return ""
	}
	base := path.Join(path.Dir(from), spec)
	stripped := base
	for _, ext := range []string{".js", ".mjs", ".cjs"} {
		stripped = strings.TrimSuffix(stripped, ext)
	}
	cands := []string{base}
	for _, ext := range jsExtensions {
		cands = append(cands, stripped+ext, base+ext)
	}
	for _, idx := range []string{"index.ts", "index.tsx", "index.js", "index.py"} {
		cands = append(cands, path.Join(base, idx))
	}
	return x.first(cands)
}

func (x *importIndex) resolvePython(from, spec string) string {
	dots := len(spec) - len(strings.TrimLeft(spec, "."))
	mod := strings.ReplaceAll(spec[dots:], ".", "/")
	base := mod
	if dots > 0 {
		dir := path.Dir(from)
		for range dots - 1 {
			dir = path.Dir(dir)
		}
		base = path.Join(dir, mod)
	}
	if base == "" || base == "." {
		return ""
	}
	return x.first([]string{base + ".py", path.Join(base, "__init__.py"), path.Join("src", base) + ".py", path.Join("src", base, "__init__.py")})
}

// resolveGo maps an import path to a package directory of a module in the
// tree; the standard library's module "std" maps paths as they are.
func (x *importIndex) resolveGo(spec string) string {
	for _, m := range x.modules {
		var dir string
		switch {
		case m.path == "std":
			dir = path.Join(m.dir, spec)
		case spec == m.path || strings.HasPrefix(spec, m.path+"/"):
			dir = path.Join(m.dir, strings.TrimPrefix(spec, m.path))
		default:
			continue
		}
		if x.dirs[dir] {
			return dir
		}
	}
	return ""
}

func (x *importIndex) first(cands []string) string {
	for _, c := range cands {
		if x.files[c] {
			return c
		}
	}
	return ""
}
