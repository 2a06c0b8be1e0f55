package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Who follows which report, as rows with an index by person: the
// complaints' followers field stays the record of it (and what the rules
// say), this table lets a resident's lists find the reports they follow
// without reading every report. hooks keep it in step on every save. And an
// index of ratings by author, for the same reason.
func init() {
	m.Register(func(app core.App) error {
		if _, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS townhall_follows (
			user      TEXT NOT NULL,
			complaint TEXT NOT NULL,
			PRIMARY KEY (user, complaint)
		) WITHOUT ROWID`).Execute(); err != nil {
			return err
		}
		// a resident's ratings, by author
		fb, err := app.FindCollectionByNameOrId("feedback")
		if err != nil {
			return err
		}
		fb.AddIndex("idx_feedback_author", false, "author, created", "")
		if err := app.Save(fb); err != nil {
			return err
		}
		_, err = app.DB().NewQuery(`INSERT OR IGNORE INTO townhall_follows (user, complaint)
			SELECT je.value, c.id FROM complaints c, json_each(CASE WHEN json_valid(c.followers) AND json_type(c.followers) = 'array'
				THEN c.followers ELSE '[]' END) je
			WHERE je.value != ''`).Execute()
		return err
	}, func(app core.App) error {
		if fb, err := app.FindCollectionByNameOrId("feedback"); err == nil {
			fb.RemoveIndex("idx_feedback_author")
			if err := app.Save(fb); err != nil {
				return err
			}
		}
		_, err := app.DB().NewQuery(`DROP TABLE IF EXISTS townhall_follows`).Execute()
		return err
	})
}
