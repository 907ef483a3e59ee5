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
	err   error // Wait's result, valid after done is closed
	tail  *tailBuffer
}

// startHTTP starts mcpd on 127.0.0.1 with a fresh token and stops it when
// the test ends. Every line it prints goes to the run log.
func startHTTP(t *testing.T, name string, extra ...string) *httpServer {
	t.Helper()
	s := needSuite(t)
	token := newToken(t)
	s.log.secret("the HTTP token of mcpd "+name, token)
	args := s.mcpdArgs("http", append([]string{"--host", "127.0.0.1", "--port", "0"}, extra...)...)
	cmd := exec.Command(s.mcpd, args...)
	cmd.Env = s.mcpdEnv("CODEXPRO_HTTP_TOKEN=" + token)
	cmd.Stdout = s.log.writer("mcpd " + name + " stdout")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	srv := &httpServer{Token: token, cmd: cmd, done: make(chan struct{}), tail: &tailBuffer{}}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", s.mcpd, err)
	}
	listen := make(chan string, 1)
	go srv.readStderr(stderr, s.log.writer("mcpd "+name+" stderr"), listen)
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

// tailBuffer keeps the last lines a process printed, for failure messages.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
}

const tailLines = 40

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		b.lines = append(b.lines, l)
	}
	if n := len(b.lines); n > tailLines {
		b.lines = b.lines[n-tailLines:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}
