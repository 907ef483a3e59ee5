// Package workspace is the path guard every tool call goes through: a
// Workspace is one allowed directory, opened once as an os.Root, and every
// read, listing, write and removal names a path relative to it.
//
// What the guard guarantees, for every path a caller passes in:
//
//   - The path stays inside the root. ".." segments that climb out, "~",
//     absolute paths elsewhere, drive letters, UNC and device paths, and
//     NUL bytes are refused before anything is opened; every open then goes
//     through the os.Root, so the kernel refuses an escape through a
//     symlink or a directory renamed mid-call as well.
//   - Blocked files stay unread and unwritten. The blocked globs (see
//     DefaultGlobs) match case-insensitively, on every ancestor of the path,
//     and on where symlinks in it really point: a link to .env is .env.
//     After opening, the guard asks the kernel where the descriptor really
//     is and refuses it if a symlink swapped in during the call moved it
//     onto a blocked path.
//   - Writes are atomic and never follow a final symlink: a temp file in the
//     same directory, fsync, rename, fsync of the directory, so a crash
//     leaves the old file or the new one. Writers of one path in this process
//     are serialised (Lock).
//   - Every refusal is a *Refusal naming the rule, the path as given and why.
//
// What it does not guarantee:
//
//   - It confines this process's file calls, not programs it starts: a
//     command run in the workspace sees whatever the OS lets it see (that is
//     pkg/sandbox's job, where the OS provides one).
//   - A hard link cannot be told from the file's other names: a regular file
//     with more than one link is refused for reading (rule hard-link), where
//     the OS reports the link count (links_<os>.go); where it does not, such
//     a file is read as os.Root reads it.
//   - Where the OS cannot report a descriptor's path, the after-open check
//     is skipped and os.Root's confinement alone stands (kernelpath_<os>.go).
//   - Blocked globs judge names, not content: a secret in an unblocked file
//     is redaction's job (pkg/redact).
//   - Locks are per process: another program writing the same file is not
//     excluded, though it never sees a half-written one.
package workspace
