package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Insights counts the "Was this page helpful?" answers of a period: an
// index by date, so a month reads that month's answers only.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("page_feedback")
		if err != nil {
			return err
		}
		c.AddIndex("idx_page_feedback_created", false, "created", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("page_feedback")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_page_feedback_created")
		return app.Save(c)
	})
}
