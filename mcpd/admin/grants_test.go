package admin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"codexpro.dev/mcpd/oauth"
)

// fakeGrants is a grant store in memory.
type fakeGrants struct{ list []oauth.Grant }

func (f *fakeGrants) Grants() []oauth.Grant { return f.list }
func (f *fakeGrants) Revoke(id string) (int, error) {
	kept, n := f.list[:0], 0
	for _, g := range f.list {
		if id == "all" || g.ID == id {
			n++
			continue
		}
		kept = append(kept, g)
	}
	f.list = kept
	return n, nil
}

// TestGrantsListAndRevoke: with --auth oauth the page lists the approved
// clients; a revoke from the page works, and one without the page's CSRF
// token or from another Origin changes nothing.
func TestGrantsListAndRevoke(t *testing.T) {
	f := start(t)
	now := time.Now()
	store := &fakeGrants{list: []oauth.Grant{{ID: "g1", Client: "ChatGPT", Created: now, LastUsed: now}, {ID: "g2", Client: "Cursor", Created: now, LastUsed: now}}}
	f.admin.o.Grants = store
	f.admin.o.Settings.Auth = "oauth"

	_, page := f.do(t, "GET", "/", "", f.cookie)
	if !strings.Contains(page, "Approved clients") || !strings.Contains(page, `data-grant="g1"`) || !strings.Contains(page, "Cursor") {
		t.Fatalf("page lacks the grants:\n%s", page)
	}
	resp, body := f.do(t, "GET", "/admin/grants", "", f.cookie)
	var got struct{ Grants []oauth.Grant }
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &got) != nil || len(got.Grants) != 2 {
		t.Fatalf("GET /admin/grants: %d %s", resp.StatusCode, body)
	}
	for _, bad := range []func(*http.Request){
		func(r *http.Request) { f.fromPage(r); r.Header.Del(CSRFHeader) },
		func(r *http.Request) { f.fromPage(r); r.Header.Set("Origin", "https://chatgpt.com") },
		func(r *http.Request) { f.fromPage(r); r.Header.Set("X-Forwarded-Host", "tunnel.example.com") },
	} {
		if resp, _ := f.do(t, "POST", "/admin/grants/revoke", `{"id":"all"}`, bad); resp.StatusCode != http.StatusForbidden || len(store.list) != 2 {
			t.Fatalf("a refused revoke: %d, %d grants left", resp.StatusCode, len(store.list))
		}
	}
	if resp, body := f.do(t, "POST", "/admin/grants/revoke", `{"id":"g1"}`, f.fromPage); resp.StatusCode != 200 || len(store.list) != 1 || store.list[0].ID != "g2" {
		t.Fatalf("revoke g1: %d %s, left %v", resp.StatusCode, body, store.list)
	}
}
