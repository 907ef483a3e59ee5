package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWindowsBinariesUnderWine runs the Windows build of mcpd over stdio
// under Wine (initialize, tools/list, a read, and the guard's refusals of a
// ../ escape, a blocked file and a reserved device name) and the Windows
// handoff's execute --dry-run. make e2e builds bin/windows_amd64; .ci/run
// installs Debian's wine64 (and mingw-w64 for the ProcessPrng shim below).
func TestWindowsBinariesUnderWine(t *testing.T) {
	bin := os.Getenv("CODEXPRO_BIN")
	if bin == "" {
		t.Skip(skipReason)
	}
	winBin := filepath.Join(bin, "windows_amd64")
	for _, exe := range []string{"mcpd.exe", "handoff.exe"} {
		if _, err := os.Stat(filepath.Join(winBin, exe)); err != nil {
			t.Skipf("no %s in %s: build it with `make build-windows` (make e2e does)", exe, winBin)
		}
	}
	wine := findWine()
	if wine == "" {
		t.Skip("wine is not installed (apt-get install wine64); .ci/run installs it, so CI runs this test")
	}
	w := newWine(t, wine)

	ws := t.TempDir()
	mustWrite(t, ws, map[string]string{
		"README.md":                  "hello from windows\r\nsecond line\r\n",
		".env":                       "OPENAI_API_KEY=sk-wine-planted-0123456789\n",
		"src/main.go":                "package main\n",
		".ai-bridge/current-plan.md": "# Plan\n\nAdd one line to NOTES.md.\n",
	})
	mustWrite(t, filepath.Dir(ws), map[string]string{"outside-secret.txt": "OUTSIDE-WINE-SECRET\n"})
	root := w.path(ws)

	t.Run("mcpd over stdio", func(t *testing.T) {
		c := w.startMCPD(t, filepath.Join(winBin, "mcpd.exe"), "--root", root, "--transport", "stdio", "--tool-mode", "full")
		init := c.call(t, "initialize", map[string]any{"protocolVersion": "2025-06-18", "capabilities": map[string]any{},
			"clientInfo": map[string]any{"name": "wine-e2e", "version": "1"}})
		if !strings.Contains(string(init), `"serverInfo"`) {
			t.Fatalf("initialize: %s", init)
		}
		c.notify(t, "notifications/initialized")
		list := c.call(t, "tools/list", map[string]any{})
		if !strings.Contains(string(list), `"name":"read"`) {
			t.Fatalf("tools/list has no read tool: %.400s", list)
		}
		read := func(p string) (string, bool) {
			raw := c.call(t, "tools/call", map[string]any{"name": "read", "arguments": map[string]any{"path": p}})
			var r struct {
				Content []struct{ Text string } `json:"content"`
				IsError bool                    `json:"isError"`
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatalf("read %s: %v in %s", p, err, raw)
			}
			var text []string
			for _, c := range r.Content {
				text = append(text, c.Text)
			}
			return strings.Join(text, "\n"), r.IsError
		}
		if text, isErr := read("README.md"); isErr || !strings.Contains(text, "hello from windows") {
			t.Fatalf("read README.md: error=%v %s", isErr, text)
		}
		for _, c := range []struct{ path, rule string }{
			{`..\outside-secret.txt`, "escape"},
			{"../outside-secret.txt", "escape"},
			{".env", "blocked"},
			{".ENV", "blocked"},
			{".env.", "invalid-path"},
			{"CON", "invalid-path"},
			{"aux.txt", "invalid-path"},
			{`src\COM1.log`, "invalid-path"},
			{`C:\Windows\win.ini`, "escape"},
			{`\\?\C:\Windows\win.ini`, "escape"},
		} {
			text, isErr := read(c.path)
			if !isErr || !strings.Contains(text, "[rule: "+c.rule+"]") {
				t.Errorf("read %q: error=%v, want rule %s: %s", c.path, isErr, c.rule, text)
			}
			if strings.Contains(text, "OUTSIDE-WINE-SECRET") || strings.Contains(text, "sk-wine-planted") {
				t.Errorf("read %q leaked content: %s", c.path, text)
			}
		}
	})

	t.Run("handoff execute --dry-run", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
		defer cancel()
		cmd := w.command(ctx, filepath.Join(winBin, "handoff.exe"), "execute", "--root", root, "--yes", "--dry-run",
			"--command", "codex exec {{plan_file}}")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "handoff execute dry run") || !strings.Contains(string(out), "codex") {
			t.Fatalf("handoff.exe execute --dry-run: %v\n%s", err, out)
		}
	})
}

// wineServer is the wineserver beside the wine binary (Debian's wine64
// package names it wineserver64 in /usr/lib/wine).
func wineServer(wine string) string {
	dir := filepath.Dir(wine)
	for _, name := range []string{"wineserver", "wineserver64"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return filepath.Join(dir, name)
		}
	}
	if p, err := exec.LookPath("wineserver"); err == nil {
		return p
	}
	return "/usr/lib/wine/wineserver64"
}

func findWine() string {
	for _, name := range []string{"wine64", "wine"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	// Debian's wine64 package alone installs no wrapper on PATH.
	if _, err := os.Stat("/usr/lib/wine/wine64"); err == nil {
		return "/usr/lib/wine/wine64"
	}
	return ""
}

// wineEnv is a private Wine prefix, made once per test (first-run setup
// takes tens of seconds).
type wineEnv struct {
	wine, prefix, home string
}

func newWine(t *testing.T, wine string) *wineEnv {
	t.Helper()
	w := &wineEnv{wine: wine, prefix: t.TempDir(), home: t.TempDir()}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	// A persistent wineserver started first, with no pipes of ours: one
	// started by a later wine call would inherit (and hold open) the
	// output pipe of that call.
	server := w.command(ctx, wineServer(wine), "-p")
	if err := server.Run(); err != nil {
		t.Skipf("Wine cannot start wineserver here: %v", err)
	}
	t.Cleanup(func() { _ = w.command(context.Background(), wineServer(wine), "-k").Run() })
	boot := w.command(ctx, w.wine, "wineboot", "--init")
	log := filepath.Join(w.home, "wineboot.log")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	boot.Stdout, boot.Stderr = f, f
	err = boot.Run()
	f.Close()
	if err != nil {
		out, _ := os.ReadFile(log)
		t.Skipf("Wine cannot create a prefix here (%v): %s", err, out)
	}
	w.processPrngShim(t)
	return w
}

// processPrngShim: Go 1.24+ programs need ProcessPrng from
// bcryptprimitives.dll, which Windows 10+ has and Wine 8 (Debian 12) lacks.
// The shim answers it with RtlGenRandom, in this test's prefix only.
func (w *wineEnv) processPrngShim(t *testing.T) {
	t.Helper()
	dll := filepath.Join(w.prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	if _, err := os.Stat(dll); err == nil {
		return
	}
	cc, err := exec.LookPath("x86_64-w64-mingw32-gcc")
	if err != nil {
		t.Skip("this Wine lacks bcryptprimitives.dll (ProcessPrng), which Go 1.24+ binaries need at startup; " +
			"install gcc-mingw-w64-x86-64 so the test can build a shim (.ci/run does)")
	}
	src := filepath.Join(t.TempDir(), "prng.c")
	mustWrite(t, filepath.Dir(src), map[string]string{"prng.c": `#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID, ULONG);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T n) {
	while (n > 0) {
		ULONG chunk = n > 0x10000000 ? 0x10000000 : (ULONG)n;
		if (!SystemFunction036(data, chunk)) return FALSE;
		data += chunk; n -= chunk;
	}
	return TRUE;
}
`})
	if out, err := exec.Command(cc, "-O2", "-shared", "-s", "-o", dll, src, "-ladvapi32").CombinedOutput(); err != nil {
		t.Fatalf("build the ProcessPrng shim: %v\n%s", err, out)
	}
}

// path is how a Windows program under Wine names a Linux path (drive Z: is /).
func (w *wineEnv) path(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// command runs exe under wine, or exe itself when it is a wine tool
// (wineserver) rather than a Windows program.
func (w *wineEnv) command(ctx context.Context, exe string, args ...string) *exec.Cmd {
	argv := append([]string{w.wine, exe}, args...)
	if !strings.HasSuffix(exe, ".exe") && filepath.IsAbs(exe) {
		argv = argv[1:]
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + w.home, "WINEPREFIX=" + w.prefix, "WINEDEBUG=-all",
		"DISPLAY=", "CODEXPRO_HOME=" + w.path(filepath.Join(w.home, "codexpro"))}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// rpcClient speaks newline-delimited JSON-RPC to a stdio MCP server.
type rpcClient struct {
	in  io.WriteCloser
	out *bufio.Reader
	id  int
}

func (w *wineEnv) startMCPD(t *testing.T, exe string, args ...string) *rpcClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	cmd := w.command(ctx, exe, args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		_ = cmd.Wait()
		cancel()
		if t.Failed() {
			t.Logf("mcpd.exe stderr:\n%s", stderr.String())
		}
	})
	return &rpcClient{in: in, out: bufio.NewReaderSize(out, 1<<20)}
}

func (c *rpcClient) send(t *testing.T, msg map[string]any) {
	t.Helper()
	b, _ := json.Marshal(msg)
	if _, err := c.in.Write(append(b, '\n')); err != nil {
		t.Fatalf("write to mcpd.exe: %v", err)
	}
}

func (c *rpcClient) notify(t *testing.T, method string) {
	c.send(t, map[string]any{"jsonrpc": "2.0", "method": method})
}

// call sends a request and returns its result, skipping notifications.
func (c *rpcClient) call(t *testing.T, method string, params any) json.RawMessage {
	t.Helper()
	c.id++
	c.send(t, map[string]any{"jsonrpc": "2.0", "id": c.id, "method": method, "params": params})
	for {
		line, err := c.out.ReadBytes('\n')
		if err != nil {
			t.Fatalf("%s: mcpd.exe closed stdout: %v", method, err)
		}
		var msg struct {
			ID     *int            `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &msg) != nil || msg.ID == nil || *msg.ID != c.id {
			continue
		}
		if msg.Error != nil {
			t.Fatalf("%s: %s", method, msg.Error)
		}
		return msg.Result
	}
}

func mustWrite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := writeFiles(dir, files); err != nil {
		t.Fatal(err)
	}
}
