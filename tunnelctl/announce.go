package tunnelctl

import (
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
)

// ReadyLine is what --headless prints on stdout for scripts.
const ReadyLine = "CODEXPRO_READY"

// announcer prints the connector URL once per public URL.
type announcer struct {
	out      io.Writer
	headless bool
	copyURL  bool
	copy     func(text string) (string, error)
	root     string
	kind     string // quick | named
	modes    Exposure
	stable   string // Stability's answer
	keys     bool   // single-key shortcuts are on: say so
	last     string
}

func (a *announcer) announce(connector string) {
	if connector == a.last {
		return
	}
	again := a.last != ""
	a.last = connector
	if a.headless {
		fmt.Fprintf(a.out, "%s %s\n", ReadyLine, connector)
		return
	}
	status := "not copied (--no-copy-url)"
	if a.copyURL {
		if tool, err := a.copy(connector); err != nil {
			status = "not copied: " + err.Error()
		} else {
			status = "copied with " + tool
		}
	}
	title := "CodexPro tunnel ready"
	if again {
		title = "CodexPro tunnel restarted with a NEW URL: update the ChatGPT app"
	}
	fmt.Fprintf(a.out, `%s
  Workspace       %s
  Tunnel          %s (public HTTPS)
  Stable URL      %s
  Mode            %s
  Write           %s
  Bash            %s
  Sandbox         %s
  Roots           %s
  URL             %s
ChatGPT app fields (Settings > Apps > Create):
  Name            CodexPro
  Description     Local coding workspace bridge for ChatGPT.
  Connection      Server URL
  Server URL      %s
  Authentication  %s
`, title, a.root, a.kind, a.stable, orDash(a.modes.Mode), orDash(a.modes.Write), orDash(a.modes.Bash),
		a.modes.SandboxLine(), rootsLine(a.modes.Roots), status, connector, authLine(a.modes))
	if a.keys {
		fmt.Fprintln(a.out, keysHelp)
	}
}

// authLine is what to choose in the connector form.
func authLine(x Exposure) string {
	if x.OAuth() {
		return "OAuth (no secret in the URL; approve with the pairing code printed here)"
	}
	return "No Authentication / None (the token is in the URL)"
}

// Clipboard copies text with the first clipboard tool this session has,
// writing it to the tool's stdin so it never appears on a command line.
func Clipboard(getenv func(string) string) func(string) (string, error) {
	return func(text string) (string, error) {
		var tools [][]string
		switch {
		case runtime.GOOS == "darwin":
			tools = append(tools, []string{"pbcopy"})
		case runtime.GOOS == "windows":
			tools = append(tools, []string{"clip.exe"}) // every Windows since Vista; the URL is ASCII
		case getenv("WAYLAND_DISPLAY") != "":
			tools = append(tools, []string{"wl-copy"})
		}
		if getenv("DISPLAY") != "" {
			tools = append(tools, []string{"xclip", "-selection", "clipboard"})
		}
		for _, t := range tools {
			p, err := exec.LookPath(t[0])
			if err != nil {
				continue
			}
			cmd := exec.Command(p, t[1:]...)
			cmd.Stdin = strings.NewReader(text)
			if err := cmd.Run(); err != nil {
				return "", fmt.Errorf("%s failed: %w; copy the Server URL below by hand", t[0], err)
			}
			return t[0], nil
		}
		return "", fmt.Errorf("no clipboard tool (pbcopy, clip.exe, wl-copy, xclip) available; copy the Server URL below by hand")
	}
}
