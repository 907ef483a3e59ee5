package logx

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const (
	token  = "codexpro-live-token-0123456789abcdef"
	apiKey = "sk-realSecretValue123"
)

func TestEveryLogLineIsRedacted(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "debug")
	log.Info().Str("token", token).Str("token_source", "generated").
		Str("url", "https://h/mcp?codexpro_token="+token).
		Strs("argv", []string{"cloudflared", "--token", token}).
		Interface("nested", map[string]any{"deep": []any{map[string]any{"api_key": token}}}).
		Err(errors.New("upstream said Authorization: Bearer "+token)).
		Msgf("starting with OPENAI_API_KEY=%s", apiKey)
	log.Debug().Msg("plain " + apiKey)
	out := buf.String()
	for _, secret := range []string{token, apiKey} {
		if strings.Contains(out, secret) {
			t.Fatalf("secret %q in log output:\n%s", secret, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d:\n%s", len(lines), out)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &ev); err != nil {
		t.Fatalf("redacted line is not JSON: %v\n%s", err, lines[0])
	}
	if ev["token_source"] != "generated" || ev["level"] != "info" || ev["time"] == nil {
		t.Fatalf("non-secret fields changed: %v", ev)
	}
	if !strings.HasPrefix(ev["message"].(string), "starting with OPENAI_API_KEY=") {
		t.Fatalf("message lost its readable part: %q", ev["message"])
	}
	if !strings.HasPrefix(lines[0], `{"level":"info"`) {
		t.Fatalf("field order changed: %s", lines[0])
	}
}

func TestLevel(t *testing.T) {
	for level, wantDebug := range map[string]bool{"debug": true, "info": false, "": false, "bogus": false, "trace": true} {
		var buf bytes.Buffer
		log := New(&buf, level)
		log.Debug().Msg("x")
		if got := buf.Len() > 0; got != wantDebug {
			t.Errorf("level %q: debug written = %v, want %v", level, got, wantDebug)
		}
	}
}

func TestNonJSONWriteIsRedactedAsText(t *testing.T) {
	var buf bytes.Buffer
	n, err := Redactor{Next: &buf}.Write([]byte("raw " + apiKey + "\n"))
	if err != nil || n != len("raw "+apiKey+"\n") {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if strings.Contains(buf.String(), apiKey) {
		t.Fatalf("leak: %q", buf.String())
	}
}
