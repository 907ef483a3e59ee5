package mcpd

// This file stands in for the lead's Serve so that cmd/mcpd compiles on the
// config branch. Delete it when merging the real server.

import (
	"context"
	"errors"

	"codexpro.dev/pkg/config"
	"github.com/rs/zerolog"
)

// Serve is replaced by the real MCP server on merge.
func Serve(ctx context.Context, s config.Settings, log zerolog.Logger) error {
	log.Info().Interface("settings", s.Public()).Msg("settings loaded")
	return errors.New("this build has no MCP server (config branch placeholder)")
}
