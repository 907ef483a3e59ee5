package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"

	"codexpro.dev/mcpd/internal/filestamp"
)

// maxCachedWorkspaces bounds memory: analyses of the least recently used
// workspaces are dropped.
const maxCachedWorkspaces = 8

// Cache keeps, per workspace, what each file yielded keyed by its
// (size, mtime, inode): an unchanged file is never read again. The zero
// value is ready to use.
type Cache struct {
	mu    sync.Mutex
	byWS  map[string]*wsAnalysis
	order []string // least recently used first

	reads atomic.Int64 // file contents read, for tests and benchmarks
}

type wsAnalysis struct {
	mu    sync.Mutex // one analysis of a workspace at a time
	files map[string]*fileEntry
	dirs  map[string]*dirState

	lastKey string
	last    *Map
}

type fileEntry struct {
	stamp      filestamp.Stamp
	lang, role string
	scanned    bool   // content was read and scanned
	skip       string // why content will never be scanned at this stamp (binary, too large, unreadable)
	scan       scanned
}

// Reads counts the file contents read so far, for tests and benchmarks: a
// warm Map reads none.
func (c *Cache) Reads() int64 { return c.reads.Load() }

func (c *Cache) forWorkspace(id string) *wsAnalysis {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byWS == nil {
		c.byWS = map[string]*wsAnalysis{}
	}
	for i, k := range c.order {
		if k == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	c.order = append(c.order, id)
	a, ok := c.byWS[id]
	if !ok {
		a = &wsAnalysis{files: map[string]*fileEntry{}, dirs: map[string]*dirState{}}
		c.byWS[id] = a
	}
	if len(c.order) > maxCachedWorkspaces {
		delete(c.byWS, c.order[0])
		c.order = c.order[1:]
	}
	return a
}

// treeFingerprint names a tree state: every path with its stamp, in walk order.
func treeFingerprint(files []walkedFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s:%d:%d:%d\n", f.rel, f.stamp.Size, f.stamp.MtimeNs, f.stamp.Ino)
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}
