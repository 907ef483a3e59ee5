//go:build !linux

package search

import "codexpro.dev/pkg/workspace"

func defaultSource(w *workspace.Workspace) source { return guardedSource{w} }
