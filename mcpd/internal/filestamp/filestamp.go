// Package filestamp names a file's content by what stat alone reports: size,
// modification time and inode. The caches of mcpd (workspace analysis, the
// Codex session index) reread a file only when its stamp changed.
package filestamp

import "io/fs"

// Stamp is the stat-only identity of a file's content. Every write here
// lands by rename, which changes the inode even when size and mtime match.
type Stamp struct {
	Size, MtimeNs int64
	Ino           uint64
}

// Of returns fi's stamp.
func Of(fi fs.FileInfo) Stamp {
	return Stamp{fi.Size(), fi.ModTime().UnixNano(), inodeOf(fi)}
}
