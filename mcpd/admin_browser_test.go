package mcpd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"codexpro.dev/pkg/config"
)

const (
	browserToken = "browser-test-token-0123456789abcdef0123456789"
	chromiumPath = "/usr/bin/chromium"
)

// TestAdminPageInChromium drives the real admin page of a running mcpd in
// headless Chromium: the token leaves the address bar, a bash change is
// saved to the profile, the running server keeps its settings, and a save
// from another origin is refused.
func TestAdminPageInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("skipping the browser test: %s not found (apt-get install chromium)", chromiumPath)
	}
	srv := startServer(t)
	ctx := newBrowser(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.base+"/?codexpro_token="+browserToken)); err != nil {
		t.Fatalf("open the admin page: %v", err)
	}
	step, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	location, err := chromedp.Run(step, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(step,
		chromedp.WaitVisible(chromedp.ID("profile-form")),
		chromedp.SetValue(chromedp.ID("bash"), "full"),
		chromedp.Click(chromedp.ID("save")),
		discard(chromedp.Poll[bool](`document.getElementById('status').className !== '' && !document.getElementById('status').textContent.startsWith('Saving')`)),
	)
	if err != nil {
		t.Fatalf("change bash and save: %v", err)
	}
	status, err := chromedp.Run(step, chromedp.Text(chromedp.ID("status")))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(step, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(location, browserToken) || strings.Contains(location, "codexpro_token") {
		t.Fatalf("the token is still in the address bar: %s", location)
	}
	if !strings.Contains(status, "Saved") || !strings.Contains(status, "Restart mcpd") {
		t.Fatalf("save status %q", status)
	}
	saveScreenshot(t, shot)

	p, ok, err := srv.store.Load(srv.root)
	if err != nil || !ok || p.Bash != "full" {
		t.Fatalf("profile after save: %+v, %v, %v; want bash=full", p, ok, err)
	}
	if raw, _ := os.ReadFile(srv.store.Path(srv.root)); bytes.Contains(raw, []byte(browserToken)) {
		t.Fatal("the profile holds the token")
	}
	if got := srv.runningBash(t); got != "safe" {
		t.Fatalf("the running server's bash mode is %q after the save, want safe (unchanged)", got)
	}

	// A page on another loopback port is same-site, so the browser sends the
	// SameSite=Strict cookie; the Origin check and the CSRF token must still
	// refuse its save.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>start</title><script>
fetch(%q, {method: 'POST', credentials: 'include', mode: 'no-cors', headers: {'Content-Type': 'text/plain'},
  body: JSON.stringify({mode: 'agent', write: 'workspace', bash: 'off', toolMode: 'full', allowedRoots: []})})
  .then(function () { document.title = 'sent'; }, function () { document.title = 'sent'; });
</script>`, srv.base+"/admin/profile")
	}))
	defer evil.Close()
	if err := chromedp.Do(step,
		chromedp.Navigate(evil.URL),
		discard(chromedp.Poll[bool](`document.title === 'sent'`)),
	); err != nil {
		t.Fatalf("evil page: %v", err)
	}
	if p, _, _ := srv.store.Load(srv.root); p.Bash != "full" || p.ToolMode != "" {
		t.Fatalf("a save from another origin changed the profile: %+v", p)
	}
	if !srv.log.has(`"refused":"origin"`) {
		t.Fatalf("the guard did not log an origin refusal for the foreign save:\n%s", srv.log.String())
	}
}

// TestAdminPageAtPhoneAndDesktopWidths checks the page as a user sees it at
// 420 and 1280 px: nothing scrolls sideways, the console stays clean (no
// 401 for the favicon, no script error), copying shows its result beside the
// button clicked, a blocked clipboard leaves the URL selected in a text field,
// and a save that changes one field leaves the others as they were.
func TestAdminPageAtPhoneAndDesktopWidths(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("skipping the browser test: %s not found (apt-get install chromium)", chromiumPath)
	}
	for _, width := range []int64{420, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			srv := startServer(t)
			if _, err := srv.store.Save(config.Profile{Root: srv.root, ToolMode: "full", Write: "off"}); err != nil {
				t.Fatal(err)
			}
			ctx := newBrowser(t)
			step, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			console := collectConsole(t, step)
			err := chromedp.Do(step,
				chromedp.EmulateViewport(width, 900),
				chromedp.Navigate(srv.base+"/?codexpro_token="+browserToken),
				chromedp.WaitVisible(chromedp.ID("profile-form")),
			)
			if err != nil {
				t.Fatalf("open the admin page: %v", err)
			}
			overflow, err := chromedp.Run(step, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if overflow > 0 {
				t.Errorf("the page scrolls sideways by %d px at %d px wide", overflow, width)
			}

			// Copy works: the result shows beside the button clicked.
			err = chromedp.Do(step,
				discard(chromedp.Evaluate[bool](`navigator.clipboard.writeText = function () { return Promise.resolve(); }; true`)),
				chromedp.Click(chromedp.ID("copy-local")),
				discard(chromedp.Poll[bool](`document.querySelector('#copy-local + .copy-result').textContent === 'Copied.'`)),
			)
			if err != nil {
				t.Fatalf("copy with a working clipboard: %v", err)
			}
			// Copy blocked: the URL waits, selected, in a text field beside the button.
			err = chromedp.Do(step,
				discard(chromedp.Evaluate[bool](`navigator.clipboard.writeText = function () { return Promise.reject(new Error('denied')); }; true`)),
				chromedp.Click(chromedp.ID("copy-local")),
				discard(chromedp.Poll[bool](`document.querySelector('#copy-local + .copy-result input.copy-fallback') !== null`)),
			)
			if err != nil {
				t.Fatalf("copy with a blocked clipboard: %v", err)
			}
			selected, err := chromedp.Run(step, chromedp.Evaluate[string](`(function () {
				var el = document.activeElement;
				if (!el || !el.classList.contains('copy-fallback')) { return ''; }
				return el.value.substring(el.selectionStart, el.selectionEnd);
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(selected, srv.base+"/mcp?") || !strings.Contains(selected, "codexpro_token="+browserToken) {
				t.Fatalf("the fallback field selects %q, want the local connector URL with its token", selected)
			}
			if overflow, _ := chromedp.Run(step, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); overflow > 0 {
				t.Errorf("the copy fallback makes the page scroll sideways by %d px", overflow)
			}

			// Change one field and save: the others stay as saved.
			err = chromedp.Do(step,
				chromedp.SetValue(chromedp.ID("bash"), "off"),
				chromedp.Click(chromedp.ID("save")),
				discard(chromedp.Poll[bool](`document.getElementById('status').className !== '' && !document.getElementById('status').textContent.startsWith('Saving')`)),
			)
			if err != nil {
				t.Fatalf("save: %v", err)
			}
			if status, _ := chromedp.Run(step, chromedp.Text(chromedp.ID("status"))); !strings.Contains(status, "Saved") {
				t.Fatalf("save status %q", status)
			}
			p, _, err := srv.store.Load(srv.root)
			if err != nil || p.Bash != "off" || p.ToolMode != "full" || p.Write != "off" || p.Mode != "" || len(p.AllowedRoots) != 0 {
				t.Fatalf("profile after changing bash: %+v, %v; want bash=off and the rest as saved", p, err)
			}
			shot, err := chromedp.Run(step, chromedp.FullScreenshot(90))
			if err != nil {
				t.Fatal(err)
			}
			saveScreenshot(t, shot)
			for _, m := range console.errors() {
				t.Errorf("console: %s", m)
			}
		})
	}
}

// consoleLog keeps the page's errors: console.error, uncaught exceptions
// and the browser's own error entries (a failed resource load, a CSP refusal).
type consoleLog struct {
	mu   sync.Mutex
	errs []string
}

func (c *consoleLog) errors() []string {
	time.Sleep(200 * time.Millisecond) // let the last events arrive
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errs...)
}

func collectConsole(t *testing.T, ctx context.Context) *consoleLog {
	t.Helper()
	c := &consoleLog{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				c.mu.Lock()
				c.errs = append(c.errs, m.String())
				c.mu.Unlock()
			}
		}
	}()
	return c
}

type runningServer struct {
	base  string
	root  string
	store config.ProfileStore
	log   *lockedBuffer
}

// startServer runs serveHTTP on a free loopback port with a fixed token and
// a fresh CODEXPRO_HOME, as `mcpd --root R --port 0` would.
func startServer(t *testing.T) *runningServer {
	t.Helper()
	root, _ := filepath.EvalSymlinks(t.TempDir())
	home := t.TempDir()
	env := map[string]string{"HOME": t.TempDir(), "CODEXPRO_HOME": home, "CODEXPRO_HTTP_TOKEN": browserToken}
	s, err := config.Load(config.Flags{"root": {root}, "port": {"0"}}, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	log := zerolog.New(logs)
	mcpEnv, err := NewEnv(s, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- serveHTTP(ctx, s, mcpEnv, log, out, false) }()
	t.Cleanup(func() {
		cancel()
		<-done
		mcpEnv.Roots.Close()
	})
	listen := regexp.MustCompile(`CODEXPRO_LISTEN (http://\S+)/mcp`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := listen.FindStringSubmatch(out.String()); m != nil {
			return &runningServer{base: m[1], root: root, store: config.NewProfileStore(home), log: logs}
		}
	}
	t.Fatalf("mcpd did not announce its address:\n%s", out.String())
	return nil
}

// runningBash asks the running server over MCP for its bash mode:
// server_config when the tool is registered, else /healthz.
func (s *runningServer) runningBash(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tr, err := transport.NewStreamableHTTP(s.base+"/mcp", transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + browserToken}))
	if err != nil {
		t.Fatal(err)
	}
	cl := client.NewClient(tr)
	defer cl.Close()
	if err := cl.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Initialize(ctx, mcp.InitializeRequest{}); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	tools, err := cl.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	for _, tool := range tools.Tools {
		if tool.Name != "server_config" {
			continue
		}
		var call mcp.CallToolRequest
		call.Params.Name = "server_config"
		res, err := cl.CallTool(ctx, call)
		if err != nil || res.IsError {
			t.Fatalf("server_config: %+v, %v", res, err)
		}
		var cfg map[string]any
		raw, _ := json.Marshal(res.StructuredContent)
		_ = json.Unmarshal(raw, &cfg)
		if b, ok := findKey(cfg, "bashMode").(string); ok {
			return b
		}
		t.Fatalf("server_config has no bashMode: %s", raw)
	}
	t.Log("server_config is not registered in this build; reading /healthz instead")
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/healthz", nil)
	req.Header.Set("Authorization", "Bearer "+browserToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&h)
	b, _ := h["bashMode"].(string)
	return b
}

// findKey finds key at any depth of a decoded JSON value.
func findKey(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		if got, ok := x[key]; ok {
			return got
		}
		for _, child := range x {
			if got := findKey(child, key); got != nil {
				return got
			}
		}
	case []any:
		for _, child := range x {
			if got := findKey(child, key); got != nil {
				return got
			}
		}
	}
	return nil
}

// discard drops an action's value so it can run among other steps.
func discard[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// newBrowser starts headless Chromium with a throwaway profile and no
// background traffic.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	return ctx
}

// saveScreenshot keeps the page image in the test's temp dir (and copies it
// to $CODEXPRO_SCREENSHOT_OUT when set, to look at it after the run).
func saveScreenshot(t *testing.T, png []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "admin-page.png")
	if err := os.WriteFile(path, png, 0o600); err != nil {
		t.Fatal(err)
	}
	if len(png) < 1000 {
		t.Fatalf("screenshot is only %d bytes", len(png))
	}
	t.Logf("screenshot: %s", path)
	if out := os.Getenv("CODEXPRO_SCREENSHOT_OUT"); out != "" {
		if err := os.WriteFile(out, png, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *lockedBuffer) has(s string) bool { return strings.Contains(b.String(), s) }
