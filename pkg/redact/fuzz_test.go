package redact

import (
	"strings"
	"testing"
)

// fuzzSecret builds a live-looking secret of one of the supported formats
// from arbitrary fuzz bytes.
func fuzzSecret(kind uint8, body string) (text, secret string) {
	var b strings.Builder
	for _, c := range body {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	clean := b.String() + strings.Repeat("Q7x", 20)
	upper := strings.ReplaceAll(strings.ToUpper(clean), "E", "F")
	switch k := int(kind % 9); k {
	case 2:
		s := "AKIA" + upper[:16]
		return s, s
	case 5:
		s := "AIza" + clean[:35]
		return s, s
	case 7:
		return "https://user:" + clean + "@example.test/x", clean
	case 8:
		return "-----BEGIN RSA PRIVATE KEY-----\n" + clean + "\n-----END RSA PRIVATE KEY-----", clean
	case 3:
		s := "eyJ" + clean + "." + clean + "." + clean
		return s, s
	default:
		s := map[int]string{0: "sk-", 1: "ghp_", 4: "xoxb-", 6: "sk_live_"}[k] + clean
		return s, s
	}
}

func FuzzText(f *testing.F) {
	f.Add("OPENAI_API_KEY=", uint8(0), "realSecretValue123", "\n")
	f.Add("Authorization: Bearer", uint8(1), "abcdefghijklmnopqrstuvwxyz", "")
	f.Add(`{"api_key": "`, uint8(3), "payload", `"}`)
	f.Add("--token", uint8(7), "hunter2", "--token-file /x/token")
	f.Add("-----BEGIN PRIVATE KEY-----", uint8(8), "MIIEpAIBAAKCAQEA", "-----END PRIVATE KEY-----")
	f.Fuzz(func(t *testing.T, prefix string, kind uint8, body, suffix string) {
		text, secret := fuzzSecret(kind, body)
		if strings.Contains(prefix, secret) || strings.Contains(suffix, secret) {
			t.Skip()
		}
		in := prefix + " " + text + " " + suffix
		once := Text(in)
		if strings.Contains(once, secret) {
			t.Fatalf("secret %q survived in %q", secret, once)
		}
		if twice := Text(once); twice != once {
			t.Fatalf("not idempotent:\n once %q\ntwice %q", once, twice)
		}
		if _, ok := HasSecret(in); !ok {
			t.Fatalf("HasSecret missed %q", in)
		}
	})
}
