package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Open311's list of up to 1,000 reports shows, for each, the latest comment
// staff wrote to the resident and the first photo staff marked public. Each
// report now keeps both (public_note, public_photo; hidden, written by the
// server whenever an event or a document changes), so the list is one walk
// of the reports instead of two index searches per report.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		c.Fields.Add(
			&core.TextField{Name: "public_note", Max: 5000, Hidden: true,
				Help: "The latest comment staff wrote to the resident (written by the server)"},
			&core.TextField{Name: "public_photo", Max: 40, Hidden: true,
				Help: "The first photo staff marked public (written by the server)"},
		)
		if err := app.Save(c); err != nil {
			return err
		}
		_, err = app.DB().NewQuery(`UPDATE complaints SET
			public_note = COALESCE((SELECT ev.comment FROM events ev WHERE ev.complaint = complaints.id AND ev.public = TRUE
				AND ev.comment != '' AND ev.actor_kind IN ('staff', 'superuser') ORDER BY ev.created DESC, ev.id DESC LIMIT 1), ''),
			public_photo = COALESCE((SELECT d.id FROM documents d WHERE d.complaint = complaints.id AND d.public = TRUE
				ORDER BY d.created, d.id LIMIT 1), '')`).Execute()
		return err
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("public_note")
		c.Fields.RemoveByName("public_photo")
		return app.Save(c)
	})
}
