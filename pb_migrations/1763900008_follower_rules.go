package pb_migrations

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Residents who follow a report (their duplicate was merged into it) see it
// and its public history. The first rules compared the hidden multi-relation
// directly ("followers ?= id"), which PocketBase never matches; ".id" does.
func init() {
	swap := func(app core.App, from, to string) error {
		for _, name := range []string{"complaints", "events"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, r := range []**string{&c.ListRule, &c.ViewRule} {
				if *r != nil {
					s := strings.ReplaceAll(**r, from, to)
					*r = &s
				}
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error {
		return swap(app, "followers ?= @request.auth.id", "followers.id ?= @request.auth.id")
	}, func(app core.App) error {
		return swap(app, "followers.id ?= @request.auth.id", "followers ?= @request.auth.id")
	})
}
