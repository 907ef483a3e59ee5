package bashpolicy

import "fmt"

// Refusal is a safe-mode "no": What is the command or word that was
// refused, Rule says which rule refused it and what to do instead.
type Refusal struct {
	What string
	Rule string
}

func (r *Refusal) Error() string {
	return fmt.Sprintf("bash safe mode refused %s: %s", r.What, r.Rule)
}

func refuse(what, rule string, args ...any) *Refusal {
	if len(args) > 0 {
		rule = fmt.Sprintf(rule, args...)
	}
	return &Refusal{What: quote(what), Rule: rule}
}

// quote shows a word the way a user would type it, so a refusal for an
// empty or spaced word is still readable.
func quote(s string) string { return fmt.Sprintf("%q", s) }
