package redact

import (
	"strings"
	"testing"
)

func TestChanges(t *testing.T) {
	token := "ghp_" + strings.Repeat("aB3dE5", 6)
	pem := "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF0\n", 3) + "-----END RSA PRIVATE KEY-----\n"
	tests := []struct {
		name, before, after, added string
		lost                       bool
	}{
		{"token completed", "t = " + token[:10], "t = " + token, "github-token", false},
		{"unchanged secret, other line edited", "a\n" + pem, "b\n" + pem, "", false},
		{"secret moved within file", pem + "x\n", "x\n" + pem, "", false},
		{"second copy in same file", pem, pem + pem, "private-key", false},
		{"key removed", "a\n" + pem, "a\n", "", true},
		{"body filled in", "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n", pem, "private-key", false},
		{"body line changed", pem, strings.Replace(pem, "MIIE", "NIIE", 1), "private-key", true},
		{"value on next line", "api_key:\n", "api_key:\n  " + strings.Repeat("Zx9q", 6) + "\n", "secret-field", false},
		{"vendor named before generic", "", "GITHUB_TOKEN=" + token, "github-token", false},
		{"clean to clean", "a", "b", "", false},
	}
	for _, tc := range tests {
		added, lost := Changes(tc.before, tc.after)
		if added != tc.added || lost != tc.lost {
			t.Errorf("%s: Changes = (%q, %v), want (%q, %v)", tc.name, added, lost, tc.added, tc.lost)
		}
	}
}
