package analysis

import (
	"path"
	"regexp"
	"strings"
)

var languageByExt = map[string]string{
	".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
	".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
	".py": "python", ".go": "go", ".rs": "rust", ".swift": "swift", ".java": "java", ".cs": "csharp",
	".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp",
	".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".md": "markdown", ".mdx": "markdown",
	".sh": "shell", ".bash": "shell", ".zsh": "shell",
}

var codeLanguages = map[string]bool{
	"typescript": true, "javascript": true, "python": true, "go": true, "rust": true, "swift": true,
	"java": true, "csharp": true, "c": true, "cpp": true, "shell": true,
}

var configNames = map[string]bool{
	"package.json": true, "tsconfig.json": true, "pyproject.toml": true, "cargo.toml": true, "go.mod": true,
	"pom.xml": true, "build.gradle": true, "build.gradle.kts": true, "package.swift": true,
}

var entrypointNames = map[string]bool{
	"index.ts": true, "index.js": true, "main.ts": true, "main.js": true, "main.py": true, "main.go": true,
	"main.rs": true, "lib.rs": true, "app.swift": true, "program.cs": true,
}

var projectManifests = map[string]string{
	"package.json": "node", "pyproject.toml": "python", "requirements.txt": "python", "setup.py": "python",
	"go.mod": "go", "cargo.toml": "rust", "package.swift": "swift", "pom.xml": "jvm", "build.gradle": "jvm",
	"build.gradle.kts": "jvm", "cmakelists.txt": "native", "makefile": "native",
}

var (
	generatedDirs = regexp.MustCompile(`(^|/)(generated|vendor|vendors|third_party)/`)
	testDirs      = regexp.MustCompile(`(^|/)(__tests__|test|tests|spec|testdata)/`)
	infraDirs     = regexp.MustCompile(`(^|/)(\.github|infra|infrastructure|terraform|deploy|k8s|helm)/`)
	docsDirs      = regexp.MustCompile(`(^|/)docs?/`)
	configDirs    = regexp.MustCompile(`(^|/)configs?/`)
	testNames     = regexp.MustCompile(`(\.test\.|\.spec\.|_test\.go$|Tests?\.swift$|(^|/)test_[^/]*\.py$|_test\.py$)`)
)

// LanguageOf names the language of a file by its extension, or "".
func LanguageOf(rel string) string { return languageByExt[strings.ToLower(path.Ext(rel))] }

// roleOf classifies a file: generated > test > config > docs >
// infrastructure > source > other.
func roleOf(rel, lang string) string {
	base := strings.ToLower(path.Base(rel))
	switch {
	case generatedDirs.MatchString(rel) || strings.Contains(base, ".generated.") || strings.HasSuffix(base, ".g.cs") || strings.HasSuffix(base, ".g.dart") || strings.HasSuffix(base, ".pb.go"):
		return "generated"
	case testDirs.MatchString(rel) || testNames.MatchString(rel):
		return "test"
	case configNames[base] || configDirs.MatchString(rel):
		return "config"
	case lang == "markdown" || docsDirs.MatchString(rel):
		return "docs"
	case infraDirs.MatchString(rel) || base == "dockerfile":
		return "infrastructure"
	case codeLanguages[lang]:
		return "source"
	}
	return "other"
}

func isEntrypoint(rel string) bool { return entrypointNames[strings.ToLower(path.Base(rel))] }

func isImportantFile(rel, role string) bool {
	base := strings.ToLower(path.Base(rel))
	return role == "config" || base == "readme.md" || base == "agents.md"
}
