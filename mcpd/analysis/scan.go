package analysis

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"
	"unicode"
)

// Symbol is a declaration found by a line scanner.
type Symbol struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Path       string `json:"path"`
	Line       int    `json:"line"`
	Exported   bool   `json:"exported"`
	Confidence string `json:"confidence"`
}

// scanned is what one source file yields: declarations and raw import specs.
type scanned struct {
	symbols []Symbol
	imports []string
	module  string // module path, for go.mod files
}

type declRule struct {
	re   *regexp.Regexp
	kind string
	name int // submatch index of the name
}

var (
	goDecls = []declRule{
		{regexp.MustCompile(`^func\s+\([^)]*\)\s*([A-Za-z_]\w*)`), "method", 1},
		{regexp.MustCompile(`^func\s+([A-Za-z_]\w*)`), "function", 1},
		{regexp.MustCompile(`^type\s+([A-Za-z_]\w*)\s+interface\b`), "interface", 1},
		{regexp.MustCompile(`^type\s+([A-Za-z_]\w*)`), "type", 1},
	}
	tsDecls = []declRule{
		{regexp.MustCompile(`^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\*?\s+([A-Za-z_$][\w$]*)`), "function", 1},
		{regexp.MustCompile(`^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)`), "class", 1},
		{regexp.MustCompile(`^\s*(?:export\s+)?(?:declare\s+)?interface\s+([A-Za-z_$][\w$]*)`), "interface", 1},
		{regexp.MustCompile(`^\s*(?:export\s+)?(?:declare\s+)?type\s+([A-Za-z_$][\w$]*)\s*[=<]`), "type", 1},
		{regexp.MustCompile(`^\s*(?:export\s+)?(?:const\s+)?enum\s+([A-Za-z_$][\w$]*)`), "enum", 1},
		{regexp.MustCompile(`^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)`), "variable", 1},
	}
	pyDecls = []declRule{
		{regexp.MustCompile(`^(?:async\s+)?def\s+([A-Za-z_]\w*)`), "function", 1},
		{regexp.MustCompile(`^class\s+([A-Za-z_]\w*)`), "class", 1},
		{regexp.MustCompile(`^\s+(?:async\s+)?def\s+([A-Za-z_]\w*)`), "method", 1},
	}
	jsImport   = regexp.MustCompile(`(?:^|\s)(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)`)
	pyImport   = regexp.MustCompile(`^\s*(?:from\s+(\.*[\w.]*)\s+import\b|import\s+([\w.]+))`)
	goImport   = regexp.MustCompile(`^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"]+)"`)
	goModuleRe = regexp.MustCompile(`^module\s+("?)([^\s"]+)`)
)

// scanSource runs the line scanner for a file's language.
func scanSource(rel, lang string, data []byte) scanned {
	switch lang {
	case "go":
		return scanLines(rel, data, goDecls, goImports(), goExported)
	case "typescript", "javascript":
		return scanLines(rel, data, tsDecls, matchImport(jsImport), jsExported)
	case "python":
		return scanLines(rel, data, pyDecls, matchImport(pyImport), pyExported)
	}
	return scanned{}
}

func scanGoMod(data []byte) scanned {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if m := goModuleRe.FindStringSubmatch(sc.Text()); m != nil {
			return scanned{module: m[2]}
		}
	}
	return scanned{}
}

// importFinder returns the import specs on one line; it may keep state
// (Go's import blocks).
type importFinder func(line string) []string

func matchImport(re *regexp.Regexp) importFinder {
	return func(line string) []string {
		var out []string
		for _, m := range re.FindAllStringSubmatch(line, -1) {
			for _, g := range m[1:] {
				if g != "" {
					out = append(out, g)
				}
			}
		}
		return out
	}
}

func goImports() importFinder {
	inBlock := false
	return func(line string) []string {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "import ("):
			inBlock = true
			return nil
		case inBlock && strings.HasPrefix(t, ")"):
			inBlock = false
			return nil
		case inBlock || strings.HasPrefix(t, "import "):
			if m := goImport.FindStringSubmatch(t); m != nil {
				return []string{m[1]}
			}
		}
		return nil
	}
}

func scanLines(rel string, data []byte, rules []declRule, imports importFinder, exported func(name, line string) bool) scanned {
	var out scanned
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		out.imports = append(out.imports, imports(line)...)
		for _, r := range rules {
			if m := r.re.FindStringSubmatch(line); m != nil {
				name := m[r.name]
				out.symbols = append(out.symbols, Symbol{Name: name, Kind: r.kind, Path: rel, Line: n,
					Exported: exported(name, line), Confidence: "strong"})
				break
			}
		}
	}
	return out
}

func goExported(name, _ string) bool {
	for _, r := range name {
		return unicode.IsUpper(r)
	}
	return false
}

func jsExported(_, line string) bool { return strings.HasPrefix(strings.TrimSpace(line), "export") }

func pyExported(name, _ string) bool { return !strings.HasPrefix(name, "_") }
