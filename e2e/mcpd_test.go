package e2e

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// listenPrefix is the line mcpd prints on stderr once an HTTP listener is
// up (process contract: `--port 0` picks a free port and reports it).
const listenPrefix = "CODEXPRO_LISTEN "

// httpServer is one mcpd process serving the fixture over loopback HTTP.
type httpServer struct {
	URL   string // http://127.0.0.1:PORT/mcp
	Host  string // 127.0.0.1:PORT
	Token string
	cmd   *exec.Cmd
	done  chan struct{}
	err   error         // Wait's result, valid after done is closed
	tail  *stderrBuffer // everything mcpd printed on stderr so far
	// stderrSource is the run log's name for mcpd's stderr.
	stderrSource string
}

// startHTTP starts mcpd on 127.0.0.1 with a fresh token and stops it when
// the test ends. Every line it prints goes to the run log.
func startHTTP(t *testing.T, name string, extra ...string) *httpServer {
	t.Helper()
	return startHTTPEnv(t, name, nil, extra...)
}

// startHTTPEnv is startHTTP with extra environment variables for mcpd.
func startHTTPEnv(t *testing.T, name string, env []string, extra ...string) *httpServer {
	t.Helper()
	token := newToken(t)
	needSuite(t).log.secret("the HTTP token of mcpd "+name, token)
	return launchHTTPEnv(t, name, token, env, extra...)
}

// launchHTTP starts mcpd with token in CODEXPRO_HTTP_TOKEN, or with no
// token at all when it is empty.
func launchHTTP(t *testing.T, name, token string, extra ...string) *httpServer {
	t.Helper()
	return launchHTTPEnv(t, name, token, nil, extra...)
}

// launchHTTPEnv is launchHTTP with extra environment variables for mcpd.
func launchHTTPEnv(t *testing.T, name, token string, env []string, extra ...string) *httpServer {
	t.Helper()
	s := needSuite(t)
	args := s.mcpdArgs("http", append([]string{"--host", "127.0.0.1", "--port", "0"}, extra...)...)
	cmd := exec.Command(s.mcpd, args...)
	cmd.Env = s.mcpdEnv(env...)
	if token != "" {
		cmd.Env = append(cmd.Env, "CODEXPRO_HTTP_TOKEN="+token)
	}
	cmd.Stdout = s.log.writer("mcpd " + name + " stdout")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	srv := &httpServer{Token: token, cmd: cmd, done: make(chan struct{}), tail: &stderrBuffer{}}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", s.mcpd, err)
	}
	listen := make(chan string, 1)
	srv.stderrSource = "mcpd " + name + " stderr"
	go srv.readStderr(stderr, s.log.writer(srv.stderrSource), listen)
	go func() { srv.err = cmd.Wait(); close(srv.done) }()
	t.Cleanup(srv.stop)
	select {
	case u := <-listen:
		srv.URL = u
	case <-srv.done:
		t.Fatalf("mcpd %s exited before listening (%v); stderr:\n%s", name, srv.err, srv.tail)
	case <-time.After(20 * time.Second):
		t.Fatalf("mcpd %s printed no %q line within 20s; stderr:\n%s", name, strings.TrimSpace(listenPrefix), srv.tail)
	}
	u, err := url.Parse(srv.URL)
	if err != nil || u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Port() == "0" || u.Path != "/mcp" {
		t.Fatalf("mcpd %s announced %q; want http://127.0.0.1:PORT/mcp", name, srv.URL)
	}
	srv.Host = u.Host
	return srv
}

func (srv *httpServer) readStderr(r io.Reader, log io.Writer, listen chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	sent := false
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(log, line)
		fmt.Fprintln(srv.tail, line)
		if rest, ok := strings.CutPrefix(line, listenPrefix); ok && !sent {
			listen <- strings.TrimSpace(rest)
			sent = true
		}
	}
	_, _ = io.Copy(log, r)
}

// alive fails the test if mcpd has exited: a refusal must never take it down.
func (srv *httpServer) alive(t *testing.T) {
	t.Helper()
	select {
	case <-srv.done:
		t.Fatalf("mcpd exited (%v); stderr:\n%s", srv.err, srv.tail)
	default:
	}
}

func (srv *httpServer) stop() {
	select {
	case <-srv.done:
		return
	default:
	}
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-srv.done:
	case <-time.After(5 * time.Second):
		_ = srv.cmd.Process.Kill()
		<-srv.done
	}
}

func newToken(t *testing.T) string {
	t.Helper()
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

// stderrBuffer keeps what a process printed, for checks and failure messages.
type stderrBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *stderrBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *stderrBuffer) all() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// String is the last lines, enough to see why a process failed.
func (b *stderrBuffer) String() string {
	lines := strings.Split(strings.TrimRight(b.all(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-tailLines):], "\n")
}

const tailLines = 40
