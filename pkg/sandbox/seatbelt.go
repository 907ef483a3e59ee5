package sandbox

import (
	"fmt"
	"strings"
)

// seatbeltServices are the Mach services a confined child may look up:
// user and group lookup (getpwuid, which git and ssh call), and power
// assertions. Nothing that hands out secrets: the keychain's securityd is
// not on the list, so `security find-generic-password` fails too.
func seatbeltServices() []string {
	return []string{"com.apple.system.opendirectoryd.libinfo", "com.apple.PowerManagement.control", "com.apple.system.logger"}
}

// seatbeltNetServices are looked up only with --sandbox-net: DNS and
// certificate checks for TLS.
func seatbeltNetServices() []string {
	return []string{"com.apple.dnssd.service", "com.apple.trustd", "com.apple.trustd.agent", "com.apple.SystemConfiguration.configd"}
}

// SeatbeltProfile renders the policy as a Seatbelt (SBPL) profile for
// sandbox-exec -p. It is a pure function of the policy: the same Rules the
// Landlock backend applies on Linux, over the macOS system base, plus an
// explicit deny of the credential locations (Denied), which Seatbelt,
// unlike Landlock, can carve out of an allowed tree. Later rules win, so
// the denies come last. Paths must already be resolved (no symlinks).
func (p Policy) SeatbeltProfile() string {
	var b strings.Builder
	b.WriteString("(version 1)\n; CodexPro sandbox profile, generated from sandbox.Policy.\n(deny default)\n\n")
	b.WriteString("; processes: children inherit this profile; signals and process info stay inside it\n")
	b.WriteString("(allow process-fork)\n(allow process-exec)\n(allow signal (target same-sandbox))\n(allow process-info* (target same-sandbox))\n")
	b.WriteString("(allow sysctl-read)\n(allow user-preference-read)\n(allow pseudo-tty)\n(allow ipc-posix-sem)\n(allow ipc-posix-shm)\n")
	writeGroup(&b, "(allow mach-lookup", "global-name", seatbeltServices())
	b.WriteString("\n; path lookups and stat everywhere; contents only where allowed below\n(allow file-read-metadata)\n")
	var read, write []string
	for _, r := range p.Rules(DarwinSystem()) {
		f := sbplPath(r)
		if r.Access == Write {
			write = append(write, f)
		} else {
			read = append(read, f)
		}
	}
	b.WriteString("\n; system, toolchains and toolchain configuration: read and execute\n")
	writeRaw(&b, "(allow file-read*", read)
	b.WriteString("\n; workspace, private temp dir, caches and devices: read and write\n")
	writeRaw(&b, "(allow file-read* file-write*", write)
	b.WriteString("\n; credentials and keychains: denied even inside an allowed tree\n")
	var denied []string
	for _, d := range p.Denied() {
		denied = append(denied, fmt.Sprintf("(subpath %s)", sbplString(d)))
	}
	writeRaw(&b, "(deny file-read* file-write*", denied)
	b.WriteString("\n; network\n")
	if p.Net {
		b.WriteString("(allow network*)\n(allow system-socket)\n")
		writeGroup(&b, "(allow mach-lookup", "global-name", seatbeltNetServices())
	} else {
		b.WriteString("; denied (no --sandbox-net): (deny default) covers sockets and DNS\n")
	}
	return b.String()
}

func sbplPath(r PathRule) string {
	if r.Tree {
		return fmt.Sprintf("(subpath %s)", sbplString(r.Path))
	}
	return fmt.Sprintf("(literal %s)", sbplString(r.Path))
}

func writeGroup(b *strings.Builder, head, filter string, items []string) {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprintf("(%s %s)", filter, sbplString(it))
	}
	writeRaw(b, head, parts)
}

func writeRaw(b *strings.Builder, head string, parts []string) {
	if len(parts) == 0 {
		return
	}
	b.WriteString(head)
	for _, p := range parts {
		b.WriteString("\n  " + p)
	}
	b.WriteString(")\n")
}

// sbplString quotes s as an SBPL string literal. Validate refuses control
// characters in paths; any that reach here become '?', which matches no
// real path, so a path can never end its string and add a rule.
func sbplString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
