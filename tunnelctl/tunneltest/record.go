package tunneltest

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
)

// Call is one run of a fake, as the fake recorded it: its argv (without
// the program) and its whole environment.
type Call struct {
	Args []string `json:"args"`
	Env  []string `json:"env"`
}

// Getenv returns the value of name in the call's environment.
func (c Call) Getenv(name string) (string, bool) {
	for _, kv := range c.Env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// Record appends this process's call to the file named by the variable
// env, when it is set; the fakes call it first thing.
func Record(env string) {
	path := os.Getenv(env)
	if path == "" {
		return
	}
	b, _ := json.Marshal(Call{Args: os.Args[1:], Env: os.Environ()})
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	f.Write(append(b, '\n'))
}

// Calls reads the calls recorded in path, oldest first.
func Calls(path string) []Call {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []Call
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c Call
		if json.Unmarshal(sc.Bytes(), &c) == nil {
			out = append(out, c)
		}
	}
	return out
}
