package workspace

//go:generate go run ./internal/blockdoc ../../SECURITY.md

// Rule is one group of default blocked patterns. A pattern is a name (one
// path segment, '*' allowed) or a short path such as .docker/config.json;
// either is matched case-insensitively at any depth, and a match blocks
// everything below it. SECURITY.md's list is generated from these rules
// (go generate ./workspace in pkg), so the document says exactly what the
// matcher does.
type Rule struct {
	What     string   // what the group protects, for the document
	Patterns []string // as matched and as documented
}

// DefaultRules is the default blocklist: CodexPro 0.30's list (written in
// the any-depth form it meant), plus the credential files it missed.
// CODEXPRO_BLOCKED_GLOBS adds to it; nothing removes from it.
func DefaultRules() []Rule {
	return []Rule{
		{"repository internals and dependencies", []string{".git", "node_modules"}},
		{"environment files (`.env`, `.env.local`, `.envrc`, `.env-staging`)", []string{".env*"}},
		{"private keys and certificates, SSH keys with any suffix (`id_rsa_work`, `id_ed25519_sk`)",
			[]string{"*.pem", "*.key", "*.p12", "*.pfx", "*.ppk", "*.keystore", "*.jks", "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*"}},
		{"credential stores and tool logins", []string{".ssh", ".aws", ".gnupg", ".netrc", ".npmrc", ".pypirc", ".pgpass",
			".git-credentials", ".docker/config.json", ".kube/config", ".config/gh", ".vault-token", "credentials.json",
			"terraform.tfstate*", ".codexpro"}},
		{"build output and caches", []string{"dist", "build", ".next", "coverage", ".cache"}},
	}
}
