package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The public list of problems shows open reports and those resolved in the
// last 30 days. Each report now says until when it is on that list
// (public_until: far in the future while open, 30 days after it was resolved
// or closed, empty when never or no longer), kept by the hooks on every save
// and emptied by the hourly job once passed, so that a partial index holds
// only what the list can show and every page of it (and its count) is read
// from that index instead of the whole table.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		c.Fields.Add(&core.DateField{Name: "public_until", Help: "Until when the report is on the public list (written by the server)"})
		c.AddIndex("idx_complaints_public", false, "created, public_until, status, category", "public_until != ''")
		c.AddIndex("idx_complaints_public_until", false, "public_until, status, category", "public_until != ''")
		if err := app.Save(c); err != nil {
			return err
		}
		_, err = app.DB().NewQuery(`UPDATE complaints SET public_until = CASE
			WHEN status IN ('new', 'acknowledged', 'in_progress') THEN '9999-12-31 23:59:59.999Z'
			WHEN status IN ('resolved', 'closed') AND max(resolved_at, closed_at) != ''
				THEN strftime('%Y-%m-%d %H:%M:%fZ', substr(max(resolved_at, closed_at), 1, 23), '+30 days')
			ELSE '' END`).Execute()
		return err
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_complaints_public")
		c.RemoveIndex("idx_complaints_public_until")
		c.Fields.RemoveByName("public_until")
		return app.Save(c)
	})
}
