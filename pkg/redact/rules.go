package redact

import (
	"regexp"
	"strings"
)

// rule is one secret pattern. Only the submatch `group` (0 = the whole
// match) is replaced, so prefixes such as "Authorization: Bearer " or
// "OPENAI_API_KEY=" stay readable.
type rule struct {
	kind  string
	re    *regexp.Regexp
	group int
	// exempt reports that a match is documentation, not a live secret.
	exempt func(match, secret string) bool
	// specific rules recognise a vendor format; HasSecret reports them
	// before the generic name=value rules so the refusal names the vendor.
	specific bool
	// hints are lower-case strings of which a segment must contain one
	// before the (much slower) regexp runs on it.
	hints []string
	// multiline rules run on the whole text instead of on segments.
	multiline bool
	// pre, when set, is a cheap exact test on the lower-cased segment that
	// must pass before the regexp runs.
	pre func(lower string) bool
}

func h(hints ...string) []string { return hints }

// The quoted/bare value alternatives of CodexPro 0.30, without its upper
// length caps: RE2 is linear, and a cap lets the tail of a long secret leak.
const (
	quoted8  = `"[^"\r\n]{8,}"|'[^'\r\n]{8,}'|` + "`[^`\\r\\n]{8,}`"
	quoted12 = `"[^"\r\n]{12,}"|'[^'\r\n]{12,}'|` + "`[^`\\r\\n]{12,}`"
	secretNm = `[A-Za-z0-9_]*(?:API[_-]?KEY|TOKEN|SECRET|PASSWORD|PRIVATE[_-]?KEY)[A-Za-z0-9_]*`
	// intro may stand between a name's separator and a value on a later
	// line: a YAML block scalar ("key: |", "key: >-"), a shell line
	// continuation, or an opening parenthesis or bracket.
	intro = `\s*(?:(?:[|>][+-]?[0-9]?|\\|\(|\[)\s*)?`
)

// rules in application order: private-key blocks first (they span lines and
// contain text other rules would cut apart), URL passwords next (the CLI and
// name=value rules would otherwise redact only the "https" before the
// password and hide the URL from its own rule), then CodexPro 0.30's order
// (CODEXPRO_ASSIGN, CODEXPRO_FIELD, CLI, SECRET_ASSIGN, SECRET_FIELD, BEARER,
// QUERY, OPENAI, COMMON; the Anthropic part of COMMON goes first so it is
// reported by its own name), then the vendor formats CodexPro 0.30 misses.
func rules() []rule {
	return []rule{
		{kind: "private-key", hints: h("-----begin"), multiline: true, specific: true, exempt: shortPEM,
			re: regexp.MustCompile(`(?s)-----BEGIN[A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*-----(?:.*?-----END[A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*-----|.*)`)},
		{kind: "url-password", hints: h("://"), group: 1, specific: true, exempt: templatedPassword,
			re: regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@?#]*:([^\s/@?#]+)@`)},
		{kind: "codexpro-token", group: 1, specific: true, hints: h("codexpro_token"),
			re: regexp.MustCompile(`(?i)\bcodexpro_token\s*=\s*(` + quoted8 + `|[A-Za-z0-9_./+=-]{8,})`)},
		{kind: "codexpro-token", group: 1, specific: true, hints: h("codexpro_token"),
			re: regexp.MustCompile(`(?i)["']?codexpro_token["']?\s*:\s*(` + quoted8 + `|[A-Za-z0-9_./+=-]{8,})`)},
		{kind: "cli-token", hints: h("--token", "--access-token", "--auth-token", "--api", "--authtoken", "add-authtoken", "service"), group: 1, exempt: placeholder,
			re: regexp.MustCompile(`(?i)(?:\bngrok\s+config\s+add-authtoken|\bcloudflared\s+service\s+install|--(?:token|access-token|auth-token|api[_-]?key|authtoken))(?:=|\s+)([A-Za-z0-9._~+/=-]{8,})`)},
		{kind: "secret-assignment", hints: h("key", "token", "secret", "password"), pre: nameThen('='), group: 1, exempt: placeholder,
			re: regexp.MustCompile(`(?i)\b` + secretNm + `\s*=` + intro + `(` + quoted12 + `|[A-Za-z0-9_./+=-]{20,})`)},
		{kind: "secret-field", hints: h("key", "token", "secret", "password"), pre: nameThen(':'), group: 1, exempt: placeholder,
			re: regexp.MustCompile(`(?i)["']?` + secretNm + `["']?\s*:` + intro + `(` + quoted12 + `|[A-Za-z0-9_./+=-]{20,})`)},
		{kind: "bearer-token", hints: h("bearer"), group: 1,
			re: regexp.MustCompile(`(?i)\bAuthorization\s*:\s*Bearer\s+([A-Za-z0-9._~+/=-]{12,})`)},
		{kind: "query-token", hints: h("token=", "key="), group: 1,
			re: regexp.MustCompile("(?i)[?&](?:codexpro_token|token|access_token|auth_token|api[_-]?key)=([^&\\s\"'`<>]{8,})")},
		{kind: "anthropic-key", hints: h("sk-ant-"), specific: true, exempt: placeholder,
			re: regexp.MustCompile(`\bsk-ant-[A-Za-z0-9_-]{10,}\b`)},
		{kind: "openai-key", hints: h("sk-"), specific: true, exempt: placeholder,
			re: regexp.MustCompile(`\bsk-[A-Za-z0-9_-]{10,}\b`)},
		{kind: "github-token", hints: h("ghp_", "gho_", "ghs_", "ghr_", "ghu_", "github_pat_"), specific: true, exempt: placeholder,
			re: regexp.MustCompile(`\b(?:gh[opsru]_[A-Za-z0-9_]{20,}|github_pat_[A-Za-z0-9_]{20,})\b`)},
		{kind: "npm-token", hints: h("npm_"), specific: true, exempt: placeholder,
			re: regexp.MustCompile(`\bnpm_[A-Za-z0-9_-]{20,}\b`)},
		{kind: "aws-secret-access-key", hints: h("aws_secret_access_key"), group: 1, specific: true, exempt: awsExample,
			re: regexp.MustCompile(`(?i)\baws_secret_access_key["']?\s*[=:]` + intro + `["']?([A-Za-z0-9/+=]{16,})`)},
		{kind: "aws-access-key-id", hints: h("akia", "asia", "abia", "acca"), specific: true, exempt: awsExample,
			re: regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`)},
		{kind: "jwt", hints: h("eyj"), specific: true, exempt: placeholder,
			re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}`)},
		{kind: "slack-token", hints: h("xox"), specific: true, exempt: placeholder,
			re: regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
		{kind: "google-api-key", hints: h("aiza"), specific: true, exempt: placeholder,
			re: regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}`)},
		{kind: "stripe-key", hints: h("_live_"), specific: true, exempt: placeholder,
			re: regexp.MustCompile(`\b(?:sk|rk)_live_[0-9A-Za-z]{10,}`)},
	}
}

// placeholders are CodexPro 0.30's documentation values, matched as
// case-insensitive substrings of the whole match.
var placeholders = []string{
	strings.ToLower(Placeholder), "replace-me", "replace-with-long-random-token",
	"keep-this-codexpro-token-stable", "keep-this-stable-token", "your-ngrok-token",
	"your-token", "your-api-key-here", "<openai_api_key>", "process.env.",
	"import.meta.env.", "os.environ", "getenv(",
}

func placeholder(match, _ string) bool {
	if match == "sk-..." || strings.HasSuffix(match, "=sk-...") {
		return true
	}
	lower := strings.ToLower(match)
	for _, p := range placeholders {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}

// awsExample exempts the key pair printed in AWS's own documentation.
func awsExample(match, _ string) bool {
	return strings.Contains(match, "EXAMPLE") || placeholder(match, "")
}

// shortPEM exempts a "-----BEGIN PRIVATE KEY----- ... -----END ..." sketch:
// a real key body has far more than 32 base64 characters.
func shortPEM(match, _ string) bool {
	body := match[strings.Index(match[5:], "-----")+10:]
	if end := strings.Index(body, "-----END"); end >= 0 {
		body = body[:end]
	}
	n := 0
	for _, c := range body {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			n++
		}
	}
	return n < 32
}

// templatedPassword exempts URLs whose password is a variable or a mask.
func templatedPassword(match, secret string) bool {
	if placeholder(match, "") || strings.ContainsAny(secret[:1], "$<{%[") {
		return true
	}
	return strings.Trim(secret, "*x.") == ""
}

// secretName matches field names that hold secrets (CodexPro 0.30's name
// keywords plus codexpro_token), for Field.
var secretName = regexp.MustCompile(`(?i)(?:API[_-]?KEY|TOKEN|SECRET|PASSWORD|PRIVATE[_-]?KEY|PASSWD|CREDENTIAL)`)

// describesSecret matches names about a secret that hold no secret.
var describesSecret = regexp.MustCompile(`(?i)(?:source|file|path|dir|kind|type|mode|count|len|length|enabled|required|present|env)$`)

// nameThen reports whether a secret-like name ("api_key", "db_password")
// is followed, after optional word characters, a quote and blanks, by sep:
// the shape every name=value and "name": value match has. It saves running
// the slow name rules on the many lines that merely mention "token".
func nameThen(sep byte) func(lower string) bool {
	return func(lower string) bool {
		for _, kw := range []string{"key", "token", "secret", "password"} {
			for i := strings.Index(lower, kw); i >= 0; {
				j := i + len(kw)
				for j < len(lower) && isWord(lower[j]) {
					j++
				}
				if j < len(lower) && (lower[j] == '"' || lower[j] == '\'') {
					j++
				}
				for j < len(lower) && (lower[j] == ' ' || lower[j] == '\t' || lower[j] == '\r' || lower[j] == '\n') {
					j++
				}
				if j < len(lower) && lower[j] == sep {
					return true
				}
				next := strings.Index(lower[i+1:], kw)
				if next < 0 {
					break
				}
				i += 1 + next
			}
		}
		return false
	}
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
