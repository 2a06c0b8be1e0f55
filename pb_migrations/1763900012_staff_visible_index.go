package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The staff queue leaves out residents' draft applications (staff may not
// see them before they are submitted). Listing every state, it counts what
// staff may see from this partial index alone instead of reading each row
// for created_by. hooks' queue writes the same condition, word for word.
func init() {
	const visible = "status != 'draft' OR created_by != ''"
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("permits")
		if err != nil {
			return err
		}
		c.AddIndex("idx_permits_staff_visible", false, "department, status, created_by", visible)
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("permits")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_permits_staff_visible")
		return app.Save(c)
	})
}
