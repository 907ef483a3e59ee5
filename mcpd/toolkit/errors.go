package toolkit

import "fmt"

// UserError is a failure the model can correct (bad argument, refused
// path); its message is shown as is.
type UserError struct{ msg string }

func (e *UserError) Error() string { return e.msg }

// UserErrorf formats a UserError (no %w: the message is all it carries).
func UserErrorf(format string, args ...any) error {
	return &UserError{msg: fmt.Sprintf(format, args...)}
}
