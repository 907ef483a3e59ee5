// Command faketailscale plays the tailscale CLI in tests, with a state
// directory standing in for tailscaled: `tailscale version`, `status
// --json`, `funnel status --json` (and `serve status --json`), `funnel
// --bg [--https=PORT] TARGET` and `funnel --https=PORT off`. A funnel is
// kept in <state>/serve.json in tailscaled's ServeConfig shape; the public
// side is the test's: the funnel publishes its target's address in the
// edges directory, and `off` removes it.
//
// Environment:
//
//	FAKE_TAILSCALE_STATE  directory: serve.json, the serve config
//	FAKE_TAILSCALE_RECORD file; each run appends its argv and environment (tunneltest.Calls)
//	FAKE_EDGES            directory; a funnel writes <dir>/<name> = its target's host:port
//	FAKE_TAILSCALE_NAME   this machine's MagicDNS name (default box.tail0fake.ts.net)
//	FAKE_TAILSCALE_BACKEND  BackendState (default Running)
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"codexpro.dev/tunnelctl/tunneltest"
)

func main() {
	tunneltest.Record("FAKE_TAILSCALE_RECORD")
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func name() string {
	if n := os.Getenv("FAKE_TAILSCALE_NAME"); n != "" {
		return n
	}
	return "box.tail0fake.ts.net"
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: tailscale <command>")
	}
	switch args[0] {
	case "version":
		fmt.Println("1.90.6\n  tailscale commit: fake\n  go version: go1.26")
		return nil
	case "status":
		backend := os.Getenv("FAKE_TAILSCALE_BACKEND")
		if backend == "" {
			backend = "Running"
		}
		return json.NewEncoder(os.Stdout).Encode(map[string]any{"BackendState": backend,
			"Self": map[string]any{"DNSName": name() + ".", "HostName": strings.Split(name(), ".")[0], "Online": true}})
	case "funnel", "serve":
		if len(args) > 1 && args[1] == "status" {
			b, err := os.ReadFile(statePath())
			if errors.Is(err, os.ErrNotExist) {
				b = []byte("null\n") // tailscaled has no serve config: a nil one, marshalled
			} else if err != nil {
				return err
			}
			_, err = os.Stdout.Write(b)
			return err
		}
		return funnel(args[0], args[1:])
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func statePath() string { return filepath.Join(os.Getenv("FAKE_TAILSCALE_STATE"), "serve.json") }

type handler struct {
	Proxy string `json:",omitempty"`
}

type serveConfig struct {
	TCP map[string]map[string]any `json:",omitempty"`
	Web map[string]struct {
		Handlers map[string]handler
	} `json:",omitempty"`
	AllowFunnel map[string]bool `json:",omitempty"`
}

func load() (serveConfig, error) {
	var sc serveConfig
	b, err := os.ReadFile(statePath())
	if errors.Is(err, os.ErrNotExist) {
		return sc, nil
	}
	if err != nil {
		return sc, err
	}
	return sc, json.Unmarshal(b, &sc)
}

func save(sc serveConfig) error {
	b, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		return err
	}
	tmp := statePath() + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, statePath())
}

func funnel(cmd string, args []string) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	bg := fs.Bool("bg", false, "")
	https := fs.Uint("https", 443, "")
	fs.Bool("yes", false, "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("error: invalid number of arguments (%d)", fs.NArg())
	}
	port := strconv.Itoa(int(*https))
	hostPort := name() + ":" + port
	sc, err := load()
	if err != nil {
		return err
	}
	if fs.Arg(0) == "off" {
		if _, ok := sc.Web[hostPort].Handlers["/"]; !ok {
			return errors.New("error: failed to remove web serve: handler does not exist")
		}
		delete(sc.Web, hostPort)
		delete(sc.TCP, port)
		delete(sc.AllowFunnel, hostPort)
		os.Remove(filepath.Join(os.Getenv("FAKE_EDGES"), name()))
		return save(sc)
	}
	if !*bg {
		return errors.New("faketailscale: only --bg is supported")
	}
	target := fs.Arg(0)
	if _, err := strconv.Atoi(target); err == nil {
		target = "http://127.0.0.1:" + target
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return fmt.Errorf("error: invalid target %q", fs.Arg(0))
	}
	if sc.TCP == nil {
		sc.TCP, sc.AllowFunnel = map[string]map[string]any{}, map[string]bool{}
	}
	if sc.Web == nil {
		sc.Web = map[string]struct{ Handlers map[string]handler }{}
	}
	if sc.AllowFunnel == nil {
		sc.AllowFunnel = map[string]bool{}
	}
	sc.TCP[port] = map[string]any{"HTTPS": true}
	web := sc.Web[hostPort]
	if web.Handlers == nil {
		web.Handlers = map[string]handler{}
	}
	web.Handlers["/"] = handler{Proxy: target}
	sc.Web[hostPort] = web
	if cmd == "funnel" {
		sc.AllowFunnel[hostPort] = true
	}
	if err := save(sc); err != nil {
		return err
	}
	if dir := os.Getenv("FAKE_EDGES"); dir != "" && cmd == "funnel" {
		if err := os.WriteFile(filepath.Join(dir, name()), []byte(u.Host), 0o600); err != nil {
			return err
		}
	}
	fmt.Printf("Available on the internet:\n\nhttps://%s/\n|-- / proxy %s\n\nFunnel started and running in the background.\nTo disable the proxy, run: tailscale funnel --https=%s off\n", hostPort, target, port)
	return nil
}
