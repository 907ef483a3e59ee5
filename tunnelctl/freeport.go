package tunnelctl

import (
	"fmt"
	"net"
)

// freePort asks the kernel for an unused loopback port. The port is closed
// again before the child binds it; a rare collision shows up as the child's
// own "address in use" error (and is retried on restarts).
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free loopback port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
