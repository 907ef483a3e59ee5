package tunnelctl

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// ConnectorURL is what the user pastes into ChatGPT: the public /mcp
// endpoint with the token in the codexpro_token query parameter.
func ConnectorURL(base, token string) string {
	return strings.TrimRight(base, "/") + "/mcp?codexpro_token=" + url.QueryEscape(token)
}

var tokenParam = regexp.MustCompile(`((?:codexpro_token|token)=)[^&\s]+`)

// redactURL hides a token carried in a query string.
func redactURL(s string) string {
	return tokenParam.ReplaceAllString(s, "${1}<redacted>")
}

// NormalizeHostname accepts "host", "https://host", "https://host/" or
// "https://host/mcp" and returns the host (port kept).
func NormalizeHostname(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return "", errors.New("--hostname is empty")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("--hostname %q: %w", s, err)
	}
	switch {
	case u.Scheme != "https":
		return "", fmt.Errorf("--hostname %q: must use https when a scheme is given", s)
	case u.RawQuery != "" || u.Fragment != "" || strings.Contains(s, "?") || strings.Contains(s, "#"):
		return "", fmt.Errorf("--hostname %q: must not include a query string or fragment", s)
	case u.Path != "" && u.Path != "/mcp":
		return "", fmt.Errorf("--hostname %q: must be a host, a URL root, or a /mcp URL", s)
	case u.User != nil || u.Host == "":
		return "", fmt.Errorf("--hostname %q: must be a plain host name", s)
	}
	return strings.ToLower(u.Host), nil
}
