package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The public map of problems asks for the public reports inside the part
// of the county on screen (GET /api/townhall/public/reports/map?bbox=…).
// This partial index of the public reports with a location holds their
// latitude first, then their longitude, and everything the map shows, so a
// view is one range of the index, never a walk of the table.
func init() {
	const index = "idx_complaints_public_map"
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		c.AddIndex(index, false, PublicMapIndexColumns, PublicMapIndexWhere)
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		c.RemoveIndex(index)
		return app.Save(c)
	})
}

// The public map index's columns and condition; the map's query
// (hooks/maps.go) repeats them exactly, or SQLite would not use the index.
const (
	PublicMapIndexColumns = "json_extract(location, '$.lat'), json_extract(location, '$.lon'), public_until, status, category, reference, location, has_location"
	PublicMapIndexWhere   = "has_location = TRUE AND public_until != ''"
)
