package httpd

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// fakeClock lets tests move the throttle window without sleeping.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestThrottleAfterTenFailures(t *testing.T) {
	s := startGuard(t, okHandler, Options{})
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	s.guard.now = clock.now
	wrong := bearer("wrong-token-0123456789abcdef0123")

	for i := 1; i <= failLimitPerKey; i++ {
		if resp, _ := s.do(t, "POST", "/mcp", nil, wrong); resp.StatusCode != 401 {
			t.Fatalf("failure %d: status %d, want 401", i, resp.StatusCode)
		}
	}
	clock.t = clock.t.Add(20 * time.Second)
	resp, _ := s.do(t, "POST", "/mcp", nil, nil)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th failure: status %d, want 429", resp.StatusCode)
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs != 40 {
		t.Fatalf("Retry-After = %q, want 40 (window started 20 s ago)", resp.Header.Get("Retry-After"))
	}

	// The user with the token is never locked out.
	if resp, body := s.do(t, "POST", "/mcp", nil, bearer(testToken)); resp.StatusCode != 200 {
		t.Fatalf("valid token while throttled: status %d (%s)", resp.StatusCode, body)
	}
	if resp, _ := s.do(t, "POST", "/mcp?"+TokenQueryParam+"="+testToken, nil, nil); resp.StatusCode != 200 {
		t.Fatalf("valid query token while throttled: status %d", resp.StatusCode)
	}

	clock.t = clock.t.Add(41 * time.Second)
	if resp, _ := s.do(t, "POST", "/mcp", nil, wrong); resp.StatusCode != 401 {
		t.Fatalf("after the window: status %d, want 401 again", resp.StatusCode)
	}
}

func TestThrottleKeysAreSeparate(t *testing.T) {
	th := newThrottle()
	now := time.Unix(1_700_000_000, 0)
	for range failLimitPerKey + 1 {
		th.fail("192.0.2.1", now)
	}
	if wait := th.fail("192.0.2.1", now); wait <= 0 {
		t.Fatal("noisy key not throttled")
	}
	if wait := th.fail("192.0.2.2", now); wait != 0 {
		t.Fatalf("quiet key throttled for %v", wait)
	}
}

// Guessing spread over many addresses hits the global ceiling.
func TestThrottleGlobalCeiling(t *testing.T) {
	th := newThrottle()
	now := time.Unix(1_700_000_000, 0)
	var wait time.Duration
	for i := range failLimitGlobal + 1 {
		wait = th.fail(fmt.Sprintf("198.51.100.%d", i), now)
	}
	if wait <= 0 || wait > failWindow {
		t.Fatalf("after %d failures from distinct keys: wait %v, want throttled within the window", failLimitGlobal+1, wait)
	}
}

func TestThrottleMapBounded(t *testing.T) {
	th := newThrottle()
	now := time.Unix(1_700_000_000, 0)
	for i := range 3 * maxFailKeys {
		th.fail(fmt.Sprintf("key-%d", i), now)
	}
	if n := th.size(); n > maxFailKeys {
		t.Fatalf("throttle map grew to %d keys, bound is %d", n, maxFailKeys)
	}
	// Expired entries make room again.
	later := now.Add(failWindow + time.Second)
	th.fail("fresh", later)
	if th.size() > maxFailKeys {
		t.Fatalf("map over bound after pruning: %d", th.size())
	}
	if th.fail("fresh", later); th.keys["fresh"] == nil {
		t.Fatal("new key not tracked after expired entries were pruned")
	}
}
