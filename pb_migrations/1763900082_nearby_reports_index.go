package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// "Is it already reported?": the open reports of a category near a spot, by
// their rounded location (3 decimals, as the public list shows them). The
// partial index holds open reports with a location only (public_until is
// forever while a report is open), by category and rounded latitude and
// longitude: the nearby query is one range of it.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		c.AddIndex("idx_complaints_nearby", false, NearbyIndexColumns, NearbyIndexWhere)
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("complaints")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_complaints_nearby")
		return app.Save(c)
	})
}

// NearbyIndexColumns and NearbyIndexWhere are the nearby index's terms; the
// query (hooks/nearby.go) repeats them word for word so SQLite uses it.
const (
	NearbyIndexColumns = "category, round(json_extract(location, '$.lat'), 3), round(json_extract(location, '$.lon'), 3)"
	NearbyIndexWhere   = "has_location = TRUE AND public_until = '9999-12-31 23:59:59.999Z'"
)
