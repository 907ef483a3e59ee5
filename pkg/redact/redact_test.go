package redact

import (
	"strings"
	"testing"
)

// fakeKey builds test secrets at run time so this file itself holds no
// string that scanners would flag.
func fakeKey(prefix string, n int) string {
	return prefix + strings.Repeat("a1B2c3D4e5", n/10+1)[:n]
}

func TestTextRedactsEveryKind(t *testing.T) {
	pem := "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF0\n", 3) + "-----END RSA PRIVATE KEY-----"
	tests := []struct {
		name, in, secret, kind, keep string
	}{
		{"openai via env line", "OPENAI_API_KEY=sk-realSecretValue123", "realSecretValue123", "openai-key", "OPENAI_API_KEY="},
		{"openai bare", "key sk-proj_abcdefghijkl here", "sk-proj_abcdefghijkl", "openai-key", "key "},
		{"anthropic", "ANTHROPIC_API_KEY=" + fakeKey("sk-ant-", 30), fakeKey("sk-ant-", 30), "anthropic-key", "ANTHROPIC_API_KEY="},
		{"github bearer", "Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz123456", "ghp_abcdefghijklmnopqrstuvwxyz123456", "github-token", "Authorization: Bearer "},
		{"bearer any", "authorization:   bearer abc.def-123_456~xyz", "abc.def-123_456~xyz", "bearer-token", "authorization:   bearer "},
		{"github pat", "x " + fakeKey("github_pat_", 40), fakeKey("github_pat_", 40), "github-token", "x "},
		{"npm", "//registry.npmjs.org/:_authToken=" + fakeKey("npm_", 36), fakeKey("npm_", 36), "npm-token", "//registry.npmjs.org/"},
		{"query codexpro_token", "https://h/mcp?codexpro_token=verysecretcodexprotoken123&x=1", "verysecretcodexprotoken123", "codexpro-token", "&x=1"},
		{"query access_token", "GET /cb?access_token=runtimesecret1", "runtimesecret1", "query-token", "GET /cb?access_token="},
		{"codexpro assign", "codexpro_token=secretsecret12345", "secretsecret12345", "codexpro-token", "codexpro_token="},
		{"codexpro assign short", "codexpro_token=shorttok", "shorttok", "codexpro-token", "codexpro_token="},
		{"codexpro json field", `{"codexpro_token": "shortcodextoken"}`, "shortcodextoken", "codexpro-token", `{"codexpro_token": `},
		{"json api_key", `{"api_key": "jsonsecretvalueabcdefghijklmnop"}`, "jsonsecretvalueabcdefghijklmnop", "secret-field", `"api_key": `},
		{"yaml service_token", "service_token: yamlsecretvalueabcdefghijklmnop", "yamlsecretvalueabcdefghijklmnop", "secret-field", "service_token: "},
		{"yaml value on next line", "service_token:\n  yamlsecretvalueabcdefghijklmnop\nnext: 1", "yamlsecretvalueabcdefghijklmnop", "secret-field", "next: 1"},
		{"flag value on next line", "cloudflared tunnel run --token\n  2abcDEFghiJKLmnoPQRstu", "2abcDEFghiJKLmnoPQRstu", "cli-token", "run --token"},
		{"secret among harmless lines", strings.Repeat("token handling is here\n", 50) + "X_SECRET=abcdefghijklmnopqrstuvwxyz\n", "abcdefghijklmnopqrstuvwxyz", "secret-assignment", "token handling"},
		{"quoted password assign", `DB_PASSWORD="correct horse battery"`, "correct horse battery", "secret-assignment", "DB_PASSWORD="},
		{"long bare secret", "MY_SECRET=" + strings.Repeat("z", 900), strings.Repeat("z", 30), "secret-assignment", "MY_SECRET="},
		{"ngrok", "ngrok config add-authtoken 2abcDEFghiJKLmnoPQRstu", "2abcDEFghiJKLmnoPQRstu", "cli-token", "ngrok config add-authtoken "},
		{"cloudflared --token", "cloudflared tunnel run --token eyJhIjoiYWJjZGVmIiwidCI6IjEyMyJ9", "eyJhIjoiYWJjZGVmIiwidCI6IjEyMyJ9", "cli-token", "--token "},
		{"cloudflared service install", "sudo cloudflared service install eyJhIjoiYWJjZGVmZ2hpaiJ9", "eyJhIjoiYWJjZGVmZ2hpaiJ9", "cli-token", "service install "},
		{"auth-token flag", "tool --auth-token abcdefgh12345", "abcdefgh12345", "cli-token", "--auth-token "},
		{"apikey query", "GET /v1?apikey=abcdefgh12", "abcdefgh12", "query-token", "?apikey="},
		{"api-key flag", "tool --api-key=abcdefgh12345", "abcdefgh12345", "cli-token", "--api-key="},
		{"pem block", "before\n" + pem + "\nafter", "MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn", "private-key", "after"},
		{"pem truncated", "out: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU", "private-key", "out: "},
		{"aws key id", "id AKIA" + "Q3EGRIHOXNJ5TY7B end", "AKIAQ3EGRIHOXNJ5TY7B", "aws-access-key-id", " end"},
		{"aws sts key id", "ASIA" + "Q3EGRIHOXNJ5TY7B", "ASIAQ3EGRIHOXNJ5TY7B", "aws-access-key-id", ""},
		{"aws secret ini", "aws_secret_access_key = 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", "wJalrXUtnFEMI/K7MDENG", "aws-secret-access-key", "aws_secret_access_key = "},
		{"aws secret yaml", `aws_secret_access_key: "wJalrXUtnFEMI/K7MDENGbPxRfiCY"`, "wJalrXUtnFEMI/K7MDENG", "aws-secret-access-key", "aws_secret_access_key: "},
		{"jwt", "cookie=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U;", "dozjgNryP4J3jVmNHl0w5N", "jwt", "cookie="},
		{"slack", "SLACK=" + fakeKey("xoxb-", 40), fakeKey("xoxb-", 40), "slack-token", "SLACK="},
		{"google", "key=" + fakeKey("AIza", 39), fakeKey("AIza", 39), "google-api-key", "key="},
		{"stripe live", "s " + fakeKey("sk_live_", 32), fakeKey("sk_live_", 32), "stripe-key", "s "},
		{"stripe restricted", fakeKey("rk_live_", 32), fakeKey("rk_live_", 32), "stripe-key", ""},
		{"url password", "DATABASE_URL=postgres://app:hunter2pass@db:5432/x", "hunter2pass", "url-password", "postgres://app:"},
		{"url password redis", "redis://:s3cr3tpw@cache", "s3cr3tpw", "url-password", "redis://:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.in)
			if strings.Contains(got, tc.secret) {
				t.Fatalf("Text(%q) = %q: secret %q still visible", tc.in, got, tc.secret)
			}
			if !strings.Contains(got, Placeholder) {
				t.Fatalf("Text(%q) = %q: no placeholder", tc.in, got)
			}
			if !strings.Contains(got, tc.keep) {
				t.Fatalf("Text(%q) = %q: lost the readable part %q", tc.in, got, tc.keep)
			}
			kind, ok := HasSecret(tc.in)
			if !ok || kind != tc.kind {
				t.Fatalf("HasSecret(%q) = %q, %v; want %q", tc.in, kind, ok, tc.kind)
			}
		})
	}
}

func TestTextKeepsPlaceholdersAndHarmlessText(t *testing.T) {
	tests := []struct{ name, in string }{
		{"token file path", "cloudflared tunnel run --token-file /Users/rebel/.codexpro/cloudflare-tunnel-token"},
		{"env reference", "const TOKEN = process.env.TOKEN"},
		{"env reference long", "OPENAI_API_KEY = process.env.OPENAI_API_KEY_FOR_TESTS"},
		{"python getenv", `API_KEY = os.getenv("API_KEY_FROM_THE_ENVIRONMENT")`},
		{"already redacted", "OPENAI_API_KEY=" + Placeholder},
		{"replace-me", "CODEXPRO_HTTP_TOKEN=replace-me-with-a-long-random-value"},
		{"your token", "ngrok config add-authtoken your-ngrok-token"},
		{"your api key", `"api_key": "your-api-key-here"`},
		{"sk dots", "OPENAI_API_KEY=sk-..."},
		{"openai angle", "OPENAI_API_KEY=<OPENAI_API_KEY>"},
		{"short sk", "the sk-short id"},
		{"short quoted password", `password: "hunter2"`},
		{"short bare token", "token=abc"},
		{"sk-ant placeholder", "sk-ant-your-token-here"},
		{"aws docs example", "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{"lowercase akia", "akiaq3egrihoxnj5ty7b"},
		{"pem sketch", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"},
		{"public key", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----"},
		{"jwt like version", "eyJ.1.2 and v1.2.3"},
		{"slack placeholder", "xoxb-your-token"},
		{"url without password", "https://user@example.com/path and git@github.com:org/repo"},
		{"url templated password", "postgres://app:${DB_PASSWORD}@db/x"},
		{"url masked password", "postgres://app:****@db/x"},
		{"url port", "http://localhost:8787/mcp"},
		{"sk_test", "sk_test_abcdefghijklmnop"},
		{"identifier", "func tokenFromHeader(h http.Header) string"},
		{"tokens word", "max_tokens=4096"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.in {
				t.Fatalf("Text(%q) = %q, want unchanged", tc.in, got)
			}
			if kind, ok := HasSecret(tc.in); ok {
				t.Fatalf("HasSecret(%q) = %q, want none", tc.in, kind)
			}
		})
	}
}

// TestSmokeCorpus is CodexPro 0.30's tokens.txt: ten styles that must not
// leak while the token-file path stays readable.
func TestSmokeCorpus(t *testing.T) {
	in := strings.Join([]string{
		"OPENAI_API_KEY=sk-realSecretValue123",
		"Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz123456",
		"https://example.test/mcp?codexpro_token=verysecretcodexprotoken123",
		"codexpro_token=secretsecret12345",
		`{"codexpro_token": "shortcodextoken"}`,
		"ANTHROPIC_API_KEY=sk-ant-abcdefghijklmnopqrstuvwxyz",
		`{"api_key": "jsonsecretvalueabcdefghijklmnop"}`,
		"service_token: yamlsecretvalueabcdefghijklmnop",
		"ngrok config add-authtoken 2abcdefghijklmnopqrstuvwxyz",
		"cloudflared tunnel run --token eyJhIjoiMTIzNDU2Nzg5MCIsInQiOiJhYmMiLCJzIjoieHl6In0=",
		"cloudflared tunnel run --token-file /Users/rebel/.codexpro/cloudflare-tunnel-token",
	}, "\n")
	got := Text(in)
	for _, leak := range []string{
		"realSecretValue123", "ghp_abcdefghijklmnopqrstuvwxyz123456", "verysecretcodexprotoken123",
		"secretsecret12345", "shortcodextoken", "sk-ant-abcdefghijklmnopqrstuvwxyz",
		"jsonsecretvalueabcdefghijklmnop", "yamlsecretvalueabcdefghijklmnop",
		"2abcdefghijklmnopqrstuvwxyz", "eyJhIjoiMTIzNDU2Nzg5MCIsInQiOiJhYmMiLCJzIjoieHl6In0",
	} {
		if strings.Contains(got, leak) {
			t.Errorf("leaked %q in:\n%s", leak, got)
		}
	}
	if !strings.Contains(got, "--token-file /Users/rebel/.codexpro/cloudflare-tunnel-token") {
		t.Errorf("token-file path lost:\n%s", got)
	}
}

func TestHasSecretBlocksReferenceWrites(t *testing.T) {
	for _, in := range []string{
		"OPENAI_API_KEY=sk-realSecretValue123",
		"codexpro_token=shorttok",
		"api_key: yamlsecretvalueabcdefghijklmnop",
	} {
		if _, ok := HasSecret(in); !ok {
			t.Errorf("HasSecret(%q) = false, want a refusal", in)
		}
	}
}

func TestTextIsIdempotent(t *testing.T) {
	in := `TOKEN="abc def ghi jkl" then codexpro_token='12345678' and ?token=abcdefghij&api_key=zzzzzzzzzz`
	once := Text(in)
	if twice := Text(once); twice != once {
		t.Fatalf("Text not idempotent:\n once %q\ntwice %q", once, twice)
	}
}

func TestField(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"token", "plainlookingvalue", Placeholder},
		{"http_token", "abcdefghijklmnop", Placeholder},
		{"Password", "hunter2hunter2", Placeholder},
		{"token", "short", "short"},
		{"token_source", "generated", "generated"},
		{"token_file", "/home/u/.codexpro/token", "/home/u/.codexpro/token"},
		{"api_key", "process.env.API_KEY", "process.env.API_KEY"},
		{"message", "plain text", "plain text"},
		{"message", "using sk-realSecretValue123", "using " + Placeholder},
	}
	for _, tc := range tests {
		if got := Field(tc.name, tc.value); got != tc.want {
			t.Errorf("Field(%q, %q) = %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestArgs(t *testing.T) {
	tok := "2abcDEFghiJKLmnoPQRstu"
	tests := []struct{ in, want []string }{
		{[]string{"cloudflared", "tunnel", "run", "--token", tok}, []string{"cloudflared", "tunnel", "run", "--token", Placeholder}},
		{[]string{"ngrok", "config", "add-authtoken", tok}, []string{"ngrok", "config", "add-authtoken", Placeholder}},
		{[]string{"x", "--token=" + tok}, []string{"x", "--token=" + Placeholder}},
		{[]string{"cloudflared", "--token-file", "/home/u/.codexpro/tok"}, []string{"cloudflared", "--token-file", "/home/u/.codexpro/tok"}},
		{[]string{"git", "status", "--short"}, []string{"git", "status", "--short"}},
		{[]string{tok}, []string{tok}},
	}
	for _, tc := range tests {
		got := Args(tc.in)
		if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
			t.Errorf("Args(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
