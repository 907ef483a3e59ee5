package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// benchStartup: spawn to the first tools/list answer, median of 10.
func benchStartup(c config) ([]row, error) {
	measure := func(argv []string) (time.Duration, error) {
		var s sample
		for range 10 {
			t0 := time.Now()
			cl, err := startStdio(argv, baseEnv())
			if err != nil {
				return 0, err
			}
			_, err = call(cl, "tools/list", map[string]any{})
			s = append(s, time.Since(t0))
			cl.close()
			if err != nil {
				return 0, err
			}
		}
		return s.median(), nil
	}
	ours, err := measure([]string{c.mcpd, "--root", c.small, "--transport", "stdio"})
	if err != nil {
		return nil, err
	}
	r := row{workload: "start-up to first tools/list", unit: "ms", ours: ms(ours), target: "≤ 20 ms"}
	if c.fsPeer != "" {
		peer, err := measure([]string{"node", c.fsPeer, c.small})
		if err != nil {
			return nil, err
		}
		r.peer, r.ratio = ms(peer), ratio(float64(ours), float64(peer))
	}
	return []row{r}, nil
}

// readLoop makes n sequential calls and returns their latencies. The
// first and last answers are decoded in full; the rest get quickToolCall's
// check, so the client's JSON decoding, which shares the cores with the
// server, stays out of the figures.
func readLoop(cl caller, n int, tool string, args map[string]any) (sample, error) {
	params, err := json.Marshal(map[string]any{"name": tool, "arguments": args})
	if err != nil {
		return nil, err
	}
	s := make(sample, 0, n)
	for i := range n {
		t0 := time.Now()
		if i == 0 || i == n-1 {
			_, err = toolCall(cl, tool, args)
		} else {
			err = quickToolCall(cl, params)
		}
		if err != nil {
			return nil, err
		}
		s = append(s, time.Since(t0))
	}
	return s, nil
}

type readResult struct {
	p50, p99   time.Duration
	perSec     float64
	cpuPerCall time.Duration
}

func stdioRead(argv []string, n int, tool string, args map[string]any) (readResult, error) {
	cl, err := startStdio(argv, baseEnv())
	if err != nil {
		return readResult{}, err
	}
	defer cl.close()
	if _, err := readLoop(cl, 200, tool, args); err != nil { // warm up
		return readResult{}, err
	}
	cpu0, t0 := cpuTime(cl.cmd.Process.Pid), time.Now()
	s, err := readLoop(cl, n, tool, args)
	if err != nil {
		return readResult{}, err
	}
	wall, cpu := time.Since(t0), cpuTime(cl.cmd.Process.Pid)-cpu0
	return readResult{s.median(), s.pct(0.99), float64(n) / wall.Seconds(), cpu / time.Duration(n)}, nil
}

// benchReadStdio: read of the 10 KB file, mcpd vs server-filesystem.
func benchReadStdio(c config) ([]row, error) {
	ours, err := stdioRead([]string{c.mcpd, "--root", c.small, "--transport", "stdio"}, c.calls, "read", map[string]any{"path": "small.go"})
	if err != nil {
		return nil, err
	}
	var peer readResult
	if c.fsPeer != "" {
		peer, err = stdioRead([]string{"node", c.fsPeer, c.small}, c.calls, "read_text_file", map[string]any{"path": filepath.Join(c.small, "small.go")})
		if err != nil {
			return nil, err
		}
	}
	return []row{
		{"read 10 KB, stdio, 1 client: p50", "ms", ms(ours.p50), ms(peer.p50), ratio(float64(ours.p50), float64(peer.p50)), "≤ 0.5 ms"},
		{"read 10 KB, stdio, 1 client: p99", "ms", ms(ours.p99), ms(peer.p99), ratio(float64(ours.p99), float64(peer.p99)), ""},
		{"read 10 KB, stdio, 1 client: throughput", "calls/s", fmt.Sprintf("%.0f", ours.perSec), fmt.Sprintf("%.0f", peer.perSec), ratio(ours.perSec, peer.perSec), "≥ 2× peer"},
		{"read 10 KB, stdio: server CPU per call", "µs", fmt.Sprintf("%.0f", float64(ours.cpuPerCall)/1e3), fmt.Sprintf("%.0f", float64(peer.cpuPerCall)/1e3), ratio(float64(ours.cpuPerCall), float64(peer.cpuPerCall)), ""},
	}, nil
}

// httpServer starts mcpd over loopback HTTP and returns its URL and pid.
func httpServer(c config, token string) (url string, cmd *exec.Cmd, err error) {
	cmd = exec.Command(c.mcpd, "--root", c.small, "--port", "0")
	cmd.Env = baseEnv("CODEXPRO_HTTP_TOKEN=" + token)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "CODEXPRO_LISTEN "); ok {
			go func() {
				for sc.Scan() {
				}
			}()
			return u, cmd, nil
		}
	}
	_ = cmd.Process.Kill()
	return "", nil, fmt.Errorf("mcpd printed no CODEXPRO_LISTEN line")
}

// benchReadHTTP: 1 client, then 32 concurrent clients with their own sessions.
func benchReadHTTP(c config) ([]row, error) {
	const token = "bench-token-0123456789abcdef0123456789"
	url, cmd, err := httpServer(c, token)
	if err != nil {
		return nil, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	args := map[string]any{"path": "small.go"}
	one, err := newHTTPClient(url, token, hc)
	if err != nil {
		return nil, err
	}
	if _, err := readLoop(one, 200, "read", args); err != nil {
		return nil, err
	}
	idle := rssMB(cmd.Process.Pid)
	s1, err := readLoop(one, c.calls, "read", args)
	if err != nil {
		return nil, err
	}
	all, perSec, err := concurrentReads(url, token, hc, 32, c.calls/4, args)
	if err != nil {
		return nil, err
	}
	return []row{
		{"read 10 KB, HTTP, 1 client: p50", "ms", ms(s1.median()), "", "", "≤ 0.8 ms"},
		{"read 10 KB, HTTP, 32 clients: throughput", "calls/s", fmt.Sprintf("%.0f", perSec), "", "", "≥ 4000"},
		{"read 10 KB, HTTP, 32 clients: p99", "ms", ms(all.pct(0.99)), "", "", "≤ 30 ms"},
		{"resident memory idle", "MB", fmt.Sprintf("%.1f", idle), "", "", "≤ 25 MB"},
		{"resident memory after 32-client load", "MB", fmt.Sprintf("%.1f", rssMB(cmd.Process.Pid)), "", "", "≤ 60 MB"},
	}, nil
}

func concurrentReads(url, token string, hc *http.Client, clients, each int, args map[string]any) (sample, float64, error) {
	var mu sync.Mutex
	var all sample
	var firstErr error
	var wg sync.WaitGroup
	t0 := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl, err := newHTTPClient(url, token, hc)
			var s sample
			if err == nil {
				s, err = readLoop(cl, each, "read", args)
			}
			mu.Lock()
			defer mu.Unlock()
			all = append(all, s...)
			if err != nil && firstErr == nil {
				firstErr = err
			}
		}()
	}
	wg.Wait()
	return all, float64(len(all)) / time.Since(t0).Seconds(), firstErr
}
