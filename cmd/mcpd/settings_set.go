package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"

	"codexpro.dev/pkg/config"
)

// SettingsSetCmd saves the given settings into the workspace's profile. The
// flags are mcpd's own (every setting a profile keeps); each value is
// checked as mcpd would check it.
type SettingsSetCmd struct {
	RootFlag `embed:""`
	Declared `embed:""`
	NewToken bool `help:"Generate a fresh token into the profile's token file (0600)."`
}

// check validates the given values with config.Load, so a bad value is
// reported exactly as mcpd would report it (naming the flag). Only HOME and
// CODEXPRO_HOME are passed: ambient CODEXPRO_* variables must neither fail
// nor leak into the saved profile.
func checkSaved(root string, given config.Flags, env func(string) (string, bool)) (config.Settings, error) {
	only := func(k string) (string, bool) {
		if k == "HOME" || k == "CODEXPRO_HOME" {
			return env(k)
		}
		return "", false
	}
	f := config.Flags{"root": {root}, "transport": {"stdio"}, config.NoProfile: {"true"}}
	for k, v := range given {
		f[k] = v
	}
	return config.Load(f, only)
}

// apply copies the given (validated) values into p. Lists keep what Load
// resolved (real directories, normalised host names); the token file is
// setToken's.
func (c *SettingsSetCmd) apply(p *config.Profile, s config.Settings) error {
	for _, k := range c.decl.Settings() {
		v, ok := c.given[k.Name]
		switch {
		case !ok || k.Name == "token-file":
		case k.Name == "allow-root":
			p.AllowedRoots = s.AllowedRoots[1:]
		case k.Name == "hostname":
			p.Hostname = ""
			if len(s.PublicHostnames) > 0 {
				p.Hostname = s.PublicHostnames[0]
			}
		default:
			if err := p.Set(k, k.Canonical(v[len(v)-1])); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *app) settingsSet(c *SettingsSetCmd) error {
	root, store, err := a.workspaceStore(c.Root)
	if err != nil {
		return err
	}
	p, _, err := store.Load(root)
	if err != nil {
		return err
	}
	if len(c.given) == 0 && !c.NewToken {
		if !a.tty {
			return errors.New("give at least one setting to save, for example: mcpd settings set --bash off (see mcpd settings set --help)")
		}
		if err := a.promptSet(c, root, p); err != nil {
			return err
		}
	}
	s, err := checkSaved(root, c.given, a.env)
	if err != nil {
		return err
	}
	if c.flag("token-file") != "" && c.NewToken {
		return errors.New("--token-file and --new-token both set the token: give one of them")
	}
	p.Root = root
	if err := c.apply(&p, s); err != nil {
		return err
	}
	if err := setToken(c.flag("token-file"), c.NewToken, &p, store); err != nil {
		return err
	}
	saved, err := store.Save(p)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Saved settings for %s to %s.\nThey apply the next time mcpd starts for this workspace; flags and CODEXPRO_* variables still win.\n", root, store.Path(root))
	fmt.Fprintf(a.stdout, "Token: saved in %s (mode 0600, not shown).\n", saved.TokenFile)
	return nil
}

// setToken points the profile at a token file: the one given, a fresh one
// when asked, or a fresh one when the profile has none yet, so the connector
// and admin URLs stay the same from one start to the next.
func setToken(tokenFile string, newToken bool, p *config.Profile, store config.ProfileStore) error {
	switch {
	case tokenFile != "":
		abs, err := filepath.Abs(tokenFile)
		if err != nil {
			return fmt.Errorf("--token-file %s: %w", tokenFile, err)
		}
		p.TokenFile, p.LegacyToken = abs, ""
		return nil
	case !newToken && (p.TokenFile != "" || p.LegacyToken != ""):
		return nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("generate a token: %w", err)
	}
	path, err := store.WriteToken(p.Root, hex.EncodeToString(b))
	if err != nil {
		return err
	}
	p.TokenFile, p.LegacyToken = path, ""
	return nil
}

func (a *app) settingsUse(c *SettingsUseCmd) error {
	root, store, err := a.workspaceStore(c.Root)
	if err != nil {
		return err
	}
	from := c.FromRoot
	if from == "" {
		if !a.tty {
			return errors.New("use --from-root DIR in non-interactive shells")
		}
		if from, err = a.pickProfile(store, root); err != nil || from == "" {
			return err
		}
	}
	fromRoot, _, err := a.workspaceStore(from)
	if err != nil {
		return fmt.Errorf("--from-root: %w", err)
	}
	src, ok, err := store.Load(fromRoot)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("--from-root %s: no saved settings for that workspace (see mcpd settings list)", fromRoot)
	}
	// Copy the choices, not the identity: this root gets its own token,
	// and allowed roots stay per workspace.
	src.Root, src.AllowedRoots, src.TokenFile, src.LegacyToken = root, nil, "", ""
	if err := setToken("", false, &src, store); err != nil {
		return err
	}
	if _, err := store.Save(src); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Copied the settings of %s to %s (%s), with a new token.\n", fromRoot, root, store.Path(root))
	return nil
}
