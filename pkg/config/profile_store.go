package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"codexpro.dev/pkg/privfile"
)

// ProfileStore reads and writes profiles under <home>/profiles: one JSON
// file per root (0600) and, beside it, the root's token file (0600), in a
// directory only the user can enter (0700).
type ProfileStore struct{ Dir string }

// NewProfileStore returns the store of a CODEXPRO_HOME directory.
func NewProfileStore(home string) ProfileStore {
	return ProfileStore{Dir: filepath.Join(home, "profiles")}
}

// Path is the profile file of a real root.
func (ps ProfileStore) Path(root string) string {
	return filepath.Join(ps.Dir, ProfileID(root)+".json")
}

// TokenPath is where the store keeps a root's generated token.
func (ps ProfileStore) TokenPath(root string) string {
	return filepath.Join(ps.Dir, ProfileID(root)+".token")
}

func (ps ProfileStore) cloudflareTokenPath(root string) string {
	return filepath.Join(ps.Dir, ProfileID(root)+".cloudflare-token")
}

// Load returns the profile of root. A missing file is (zero, false, nil); a
// file that is not a JSON object, or that belongs to another root, is an
// error naming the file and how to get rid of it.
func (ps ProfileStore) Load(root string) (Profile, bool, error) {
	path := ps.Path(root)
	p, err := readProfile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Profile{}, false, nil
	}
	if err != nil {
		return Profile{}, false, fmt.Errorf("%w; fix or remove it: mcpd settings delete --root %s --yes", err, root)
	}
	if p.Root != root {
		return Profile{}, false, fmt.Errorf("profile %s: its root is %q, not %q; remove it: mcpd settings delete --root %s --yes", path, p.Root, root, root)
	}
	return p, true, nil
}

func readProfile(path string) (Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Profile{}, err
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&p); err != nil {
		return Profile{}, fmt.Errorf("profile %s: not a valid profile: %w", path, err)
	}
	if dec.More() {
		return Profile{}, fmt.Errorf("profile %s: not a valid profile: data after the JSON object", path)
	}
	return p, nil
}

// Save writes p atomically, moving any plaintext secret it carries into its
// own 0600 file first. It returns the profile as written.
func (ps ProfileStore) Save(p Profile) (Profile, error) {
	if p.Root == "" || !filepath.IsAbs(p.Root) {
		return p, fmt.Errorf("save profile: root %q is not an absolute path", p.Root)
	}
	if p.LegacyToken != "" {
		path, err := ps.WriteToken(p.Root, p.LegacyToken)
		if err != nil {
			return p, err
		}
		p.TokenFile, p.LegacyToken = path, ""
	}
	if p.LegacyCloudflareToken != "" {
		if p.CloudflareTokenFile == "" {
			path := ps.cloudflareTokenPath(p.Root)
			if err := ps.writePrivate(path, []byte(p.LegacyCloudflareToken+"\n")); err != nil {
				return p, err
			}
			p.CloudflareTokenFile = path
		}
		p.LegacyCloudflareToken = ""
	}
	p.Version = 1
	p.UpdatedAt = time.Now().UTC().Format(time.RFC3339)
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return p, fmt.Errorf("encode profile: %w", err)
	}
	return p, ps.writePrivate(ps.Path(p.Root), append(data, '\n'))
}

// WriteToken stores token as root's token file and returns its path.
func (ps ProfileStore) WriteToken(root, token string) (string, error) {
	path := ps.TokenPath(root)
	return path, ps.writePrivate(path, []byte(token+"\n"))
}

// writePrivate replaces path with data (0600 in a 0700 directory, atomic).
func (ps ProfileStore) writePrivate(path string, data []byte) error {
	return privfile.Write(path, data)
}

// Delete removes root's profile and the secret files the store made for
// it. It works on a malformed profile too, which is the way out of one.
func (ps ProfileStore) Delete(root string) (removed []string, err error) {
	for _, path := range []string{ps.Path(root), ps.TokenPath(root), ps.cloudflareTokenPath(root)} {
		switch err := os.Remove(path); {
		case err == nil:
			removed = append(removed, path)
		case !errors.Is(err, fs.ErrNotExist):
			return removed, fmt.Errorf("delete %s: %w", path, err)
		}
	}
	return removed, nil
}

// Listed is one profile file found by List, or the reason it is unreadable.
type Listed struct {
	Path    string
	Profile Profile
	Err     error
}

// List returns every profile, newest first; unreadable ones are included
// with their error so one bad file does not hide the others.
func (ps ProfileStore) List() ([]Listed, error) {
	paths, err := filepath.Glob(filepath.Join(ps.Dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", ps.Dir, err)
	}
	out := make([]Listed, 0, len(paths))
	for _, path := range paths {
		if strings.HasPrefix(filepath.Base(path), ".") {
			continue
		}
		p, err := readProfile(path)
		out = append(out, Listed{Path: path, Profile: p, Err: err})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Profile.UpdatedAt > out[j].Profile.UpdatedAt })
	return out, nil
}

// Token returns the bearer token p points at, checked as mcpd checks it
// (a private file, at least MinTokenBytes), for `settings show --reveal-token`.
func (ps ProfileStore) Token(p Profile) (string, error) {
	switch {
	case p.TokenFile != "":
		return readTokenFile(raw{value: p.TokenFile, from: "profile token file", set: true})
	case p.LegacyToken != "":
		return strings.TrimSpace(p.LegacyToken), nil
	}
	return "", errors.New("the profile has no token: create one with mcpd settings set --new-token")
}
