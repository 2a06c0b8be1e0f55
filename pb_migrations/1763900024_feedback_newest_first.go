package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Staff read residents' ratings newest first (My work): an index on created
// lets a page of them be read in order instead of sorting every rating.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("feedback")
		if err != nil {
			return err
		}
		c.AddIndex("idx_feedback_created", false, "created", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("feedback")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_feedback_created")
		return app.Save(c)
	})
}
