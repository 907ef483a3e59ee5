package handoff

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// splitTemplate tokenises a --command / --reviewer / --run-tests template
// without a shell: whitespace separates arguments, '…' and "…" group (an
// empty pair gives an empty argument), and a backslash escapes only the
// active quote character, a backslash, or (outside quotes) whitespace and
// quotes. Any other backslash is literal, so Windows paths survive.
func splitTemplate(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg := false
	var quote rune
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '\\' && i+1 < len(rs) {
			n := rs[i+1]
			escapable := n == '\\' || (quote != 0 && n == quote) ||
				(quote == 0 && (unicode.IsSpace(n) || n == '\'' || n == '"'))
			if escapable {
				cur.WriteRune(n)
				inArg = true
				i++
				continue
			}
		}
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(c)
		case c == '\'' || c == '"':
			quote = c
			inArg = true
		case unicode.IsSpace(c):
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(c)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, errors.New("custom command has an unterminated quote")
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

var placeholder = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)

// expandTemplate splits the template first and then substitutes the
// placeholders inside each argument, so a value (a plan, a path with
// spaces, a model name with quotes) is always exactly one argument and is
// never parsed again. Unknown placeholders become empty.
func expandTemplate(flag, tmpl string, vars map[string]string) ([]string, error) {
	args, err := splitTemplate(tmpl)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("%s is empty", flag)
	}
	for i, a := range args {
		args[i] = placeholder.ReplaceAllStringFunc(a, func(m string) string {
			return vars[placeholder.FindStringSubmatch(m)[1]]
		})
	}
	if args[0] == "" {
		return nil, fmt.Errorf("%s: the program name is empty after substitution", flag)
	}
	return args, nil
}

// usesPlaceholder reports whether tmpl mentions any of names.
func usesPlaceholder(tmpl string, names ...string) bool {
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		for _, n := range names {
			if m[1] == n {
				return true
			}
		}
	}
	return false
}
