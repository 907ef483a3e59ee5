package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"codexpro.dev/mcpd"
	"codexpro.dev/mcpd/oauth"
	"codexpro.dev/pkg/config"
)

// AuthCmd lists and revokes the OAuth grants of a workspace (--auth oauth).
type AuthCmd struct {
	List   AuthListCmd   `cmd:"" default:"withargs" help:"List the clients approved with a pairing code."`
	Revoke AuthRevokeCmd `cmd:"" help:"Revoke one grant by id, or every grant with 'all'; the client must be approved again."`
}

// AuthListCmd prints the grants.
type AuthListCmd struct {
	RootFlag `embed:""`
	JSON     bool `name:"json" help:"Print the grants as JSON."`
}

// AuthRevokeCmd removes grants.
type AuthRevokeCmd struct {
	RootFlag `embed:""`
	ID       string `arg:"" help:"The grant id from mcpd auth list, or all."`
}

func (a *app) authStore(root string) (*oauth.Store, error) {
	root, home, err := config.Locate(root, a.env)
	if err != nil {
		return nil, err
	}
	return oauth.OpenStore(mcpd.OAuthStorePath(home, root), time.Now)
}

func (a *app) authList(c *AuthListCmd) error {
	st, err := a.authStore(c.Root)
	if err != nil {
		return err
	}
	grants := st.Grants()
	if c.JSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(grants)
	}
	if len(grants) == 0 {
		fmt.Fprintln(a.stdout, "No OAuth grants. A client gets one when you approve it with the pairing code (mcpd --auth oauth).")
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCLIENT\tSCOPE\tCREATED\tLAST USED")
	for _, g := range grants {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", g.ID, g.Client, g.Scope, g.Created.Local().Format(time.DateTime), g.LastUsed.Local().Format(time.DateTime))
	}
	return tw.Flush()
}

func (a *app) authRevoke(c *AuthRevokeCmd) error {
	st, err := a.authStore(c.Root)
	if err != nil {
		return err
	}
	n, err := st.Revoke(c.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Revoked %d grant(s); their tokens stop working now, also in a running mcpd after its next check.\n", n)
	return nil
}
