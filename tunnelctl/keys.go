package tunnelctl

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"time"
)

// ConnectorSettingsURL is ChatGPT's page for apps and connectors, where the
// Server URL is pasted.
const ConnectorSettingsURL = "https://chatgpt.com/#settings/Connectors"

// keysHelp is the line the ready block ends with on a terminal.
const keysHelp = "Keys: c copy the URL · o open ChatGPT's connector settings · s status · q quit"

// keys reads single key presses (the terminal is in raw mode) and acts on
// them until in ends or ctx is done: c copies the current connector URL,
// o opens ChatGPT's connector settings, s prints this tunnel's status, and
// q or Ctrl-C (a byte in raw mode) stops `tunnelctl up`.
func (u *upState) keys(ctx context.Context, in io.Reader, quit func()) {
	buf := make([]byte, 1)
	for ctx.Err() == nil {
		n, err := in.Read(buf)
		if err != nil {
			return
		}
		if n == 0 {
			continue
		}
		out := u.o.Stdout
		switch buf[0] {
		case 'c', 'C':
			url := u.connector()
			if url == "" {
				fmt.Fprintln(out, "No URL yet: the tunnel is not ready.")
				continue
			}
			if tool, err := u.o.Copy(url); err != nil {
				fmt.Fprintf(out, "Not copied: %v\n", err)
			} else {
				fmt.Fprintf(out, "Copied the connector URL with %s.\n", tool)
			}
		case 'o', 'O':
			if err := u.o.Open(ConnectorSettingsURL); err != nil {
				fmt.Fprintf(out, "Could not open a browser (%v): open %s yourself.\n", err, ConnectorSettingsURL)
			} else {
				fmt.Fprintf(out, "Opened %s.\n", ConnectorSettingsURL)
			}
		case 's', 'S':
			u.mu.Lock()
			st := u.st
			u.mu.Unlock()
			printStatus(ctx, out, st, time.Now())
		case 'q', 'Q', 3:
			fmt.Fprintln(out, "Stopping the tunnel and mcpd…")
			quit()
			return
		}
	}
}

// connector is the URL last announced ("" before the tunnel is ready).
func (u *upState) connector() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.ann.last
}

// Browser opens url with the desktop's opener.
func Browser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // the opener may outlive this call; reap it
	return nil
}
