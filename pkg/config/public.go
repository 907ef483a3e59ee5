package config

import "encoding/json"

// Public returns the settings that are safe to show a model or a user
// (server_config, /healthz, startup logs): everything but the token.
func (s Settings) Public() map[string]any {
	var session any
	if s.BashSession != "" {
		session = s.BashSession
	}
	return map[string]any{
		"defaultRoot": s.Root, "allowedRoots": orEmpty(s.AllowedRoots), "allowHome": s.AllowHome,
		"transport": s.Transport, "host": s.Host, "port": s.Port,
		"authEnabled": s.Token != "", "tokenSource": s.TokenSource, "noAuth": s.NoAuth, "auth": s.Auth,
		"publicHostnames": orEmpty(s.PublicHostnames), "allowedOrigins": orEmpty(s.AllowedOrigins),
		"mode": s.Mode, "writeMode": s.WriteMode, "toolMode": s.ToolMode, "bashMode": s.BashMode,
		"bashTranscript": s.BashTranscript, "bashSessionId": session, "requireBashSession": s.RequireBashSession,
		"sandbox": s.Sandbox, "sandboxNet": s.SandboxNet,
		"codexSessions": s.CodexSessions, "codexDir": s.CodexDir,
		"toolCards": s.ToolCards, "connectionTest": s.ConnectionTest,
		"inheritEnv": s.InheritEnv, "analysisEnabled": s.Analysis,
		"maxReadBytes": s.MaxReadBytes, "maxWriteBytes": s.MaxWriteBytes,
		"maxOutputBytes": s.MaxOutputBytes, "maxImportBytes": s.MaxImportBytes,
		"importAllowedHosts": s.ImportAllowedHosts, "importAllowLoopback": s.ImportAllowLoopback,
		"maxBashTimeoutMs": s.MaxBashTimeoutMs, "maxSearchResults": s.MaxSearchResults,
		"maxHttpSessions": s.MaxHTTPSessions, "httpSessionTtlMs": s.HTTPSessionTTL.Milliseconds(),
		"blockedGlobs": orEmpty(s.BlockedGlobs), "contextDir": s.ContextDir, "home": s.Home,
		"logLevel": s.LogLevel, "logRequests": s.LogRequests, "widgetDomain": s.WidgetDomain,
	}
}

// String keeps the token out of %v and %+v, so a stray log of the whole
// struct cannot leak it.
func (s Settings) String() string {
	b, _ := json.Marshal(s.Public())
	return string(b)
}

// GoString does the same for %#v.
func (s Settings) GoString() string { return "config.Settings" + s.String() }

// orEmpty makes unset lists show as [] rather than null.
func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
