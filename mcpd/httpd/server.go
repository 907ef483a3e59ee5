package httpd

import (
	"net/http"
	"time"
)

// Server returns an http.Server with limits on what a client can make it
// hold. There is deliberately no ReadTimeout or WriteTimeout: both would cut
// long-lived GET /mcp streams and long tool calls; the guard bounds body
// reads itself.
func Server(h http.Handler, addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
		IdleTimeout:       2 * time.Minute,
	}
}
