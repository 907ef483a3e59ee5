package tunnelctl

import (
	"fmt"
	"net"
	"strconv"
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

// PortFree fails with the fix when --port names a port something already
// listens on, before mcpd starts and dies with "address already in use".
func PortFree(port int) error {
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return fmt.Errorf("--port %d is busy (another mcpd or program listens on 127.0.0.1:%d): stop it, pick another --port, or leave --port out (or --port 0) for a free one", port, port)
	}
	return ln.Close()
}
