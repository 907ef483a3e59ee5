package e2e

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// suiteState is what every test shares: the binaries under test, one
// fixture workspace (read-only for all tests) and the run log. TestMain
// sets it once; tests only read it.
type suiteState struct {
	mcpd    string // path of the built mcpd
	clients string // e2e/clients, with node_modules from `make deps`
	home    string // HOME for mcpd and the node clients, so nothing touches the user's
	tmp     string
	fx      fixture
	log     *runLog
}

var (
	suite      *suiteState
	skipReason string
)

func TestMain(m *testing.M) {
	flag.Parse()
	s, err := setup()
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "e2e setup:", err)
		os.Exit(1)
	case s == nil:
		os.Exit(m.Run())
	}
	suite = s
	code := m.Run()
	s.log.addFiles("file written under mcpd's HOME", s.home)
	if !leakScan(s.log, flag.Lookup("test.run").Value.String() == "") {
		code = 1
	}
	_ = os.RemoveAll(s.tmp)
	os.Exit(code)
}

// setup returns nil (and sets skipReason) when CODEXPRO_BIN is unset: the
// suite tests built binaries and builds nothing itself.
func setup() (*suiteState, error) {
	bin := os.Getenv("CODEXPRO_BIN")
	if bin == "" {
		skipReason = "CODEXPRO_BIN is unset: the e2e suite drives built binaries; run `make e2e` (it builds into bin/ and sets CODEXPRO_BIN)"
		return nil, nil
	}
	mcpd, err := filepath.Abs(filepath.Join(bin, "mcpd"))
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(mcpd); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("CODEXPRO_BIN=%s: no executable mcpd there (run `make build`)", bin)
	}
	clients, err := filepath.Abs("clients")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "codexpro-e2e-")
	if err != nil {
		return nil, err
	}
	home := filepath.Join(tmp, "home")
	err = os.MkdirAll(home, 0o700)
	var fx fixture
	if err == nil {
		fx, err = newFixture(tmp)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	log := newRunLog()
	for what, v := range fx.secrets() {
		log.secret(what, v)
	}
	return &suiteState{mcpd: mcpd, clients: clients, home: home, tmp: tmp, fx: fx, log: log}, nil
}

// needSuite skips a test when the binaries are not available.
func needSuite(t *testing.T) *suiteState {
	t.Helper()
	if suite == nil {
		t.Skip(skipReason)
	}
	return suite
}

// leakScan fails the run if any token or planted secret appears in what
// mcpd and the clients printed or returned. On a full run it also insists
// that real tool output was collected, so an empty log cannot pass.
func leakScan(log *runLog, fullRun bool) bool {
	ok := true
	for _, leak := range log.leaks() {
		fmt.Fprintln(os.Stderr, "FAIL: e2e leak scan:", leak)
		ok = false
	}
	if fullRun {
		for _, want := range []string{readmeCanary, redacted, searchNeedle} {
			if !log.contains(want) {
				fmt.Fprintf(os.Stderr, "FAIL: e2e leak scan: the run's output never contained %q, so it did not see real tool results\n", want)
				ok = false
			}
		}
	}
	if ok && testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e leak scan: %d bytes of output, no token or planted secret found\n", log.size())
	}
	return ok
}

// mcpdEnv is the whole environment mcpd runs with: nothing inherited but
// PATH, so a developer's CODEXPRO_* settings cannot change what is tested.
func (s *suiteState) mcpdEnv(extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + s.home,
		"CODEXPRO_HOME=" + filepath.Join(s.home, ".codexpro"),
		"LANG=C.UTF-8",
	}
	return append(env, extra...)
}

// mcpdArgs serves the fixture with every read-only tool (git_status is in
// the full set only).
func (s *suiteState) mcpdArgs(transport string, extra ...string) []string {
	args := []string{"--root", s.fx.Root, "--transport", transport, "--tool-mode", "full"}
	return append(args, extra...)
}
