package tunnelctl

import (
	"bytes"
	"strings"
	"testing"
)

func TestExposureCheck(t *testing.T) {
	cases := []struct {
		name string
		x    Exposure
		want string // "" = allowed
	}{
		{"bash full", Exposure{Write: "handoff", Bash: "full", Confined: true}, "refusing to publish bash full"},
		{"workspace writes, bash safe, no sandbox", Exposure{Write: "workspace", Bash: "safe", Sandbox: "off", Why: "sandbox off"}, "--write workspace with bash on and no sandbox (sandbox off)"},
		{"workspace writes, bash safe, auto without Landlock", Exposure{Write: "workspace", Bash: "safe", Sandbox: "auto", Why: "no landlock"}, "no sandbox (no landlock)"},
		{"workspace writes, sandboxed", Exposure{Write: "workspace", Bash: "safe", Sandbox: "auto", Confined: true}, ""},
		{"workspace writes, bash off", Exposure{Write: "workspace", Bash: "off", Sandbox: "off"}, ""},
		{"handoff writes, no sandbox", Exposure{Write: "handoff", Bash: "safe", Sandbox: "off"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.x.Check(false)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), PublicShellFlag)):
				t.Fatalf("err = %v; want %q and the override named", err, tc.want)
			}
			if err := tc.x.Check(true); err != nil {
				t.Fatalf("the override must allow it: %v", err)
			}
		})
	}
}

func TestStabilityAndReadyBlock(t *testing.T) {
	if ok, why := Stability(false, "a quick tunnel gets a new host", "profile"); ok || !strings.Contains(why, "quick tunnel") {
		t.Errorf("quick: %v %q", ok, why)
	}
	if ok, why := Stability(true, "named host", "generated"); ok || !strings.Contains(why, "token is new on every start") {
		t.Errorf("named, fresh token: %v %q", ok, why)
	}
	_, why := Stability(true, "named host", "profile")
	if !strings.HasPrefix(why, "yes") {
		t.Errorf("named, saved token: %q", why)
	}
	var out bytes.Buffer
	a := &announcer{out: &out, root: "/repo", kind: "named", stable: why,
		modes: Exposure{Mode: "agent", Write: "workspace", Bash: "safe", Sandbox: "auto", Confined: true, Roots: []string{"/repo", "/lib"}}}
	a.announce("https://h.example/mcp?codexpro_token=x")
	for _, want := range []string{"Stable URL      yes", "Mode            agent", "Write           workspace", "Bash            safe",
		"Sandbox         auto (confined)", "Roots           /repo, /lib"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("ready block lacks %q:\n%s", want, out.String())
		}
	}
}
