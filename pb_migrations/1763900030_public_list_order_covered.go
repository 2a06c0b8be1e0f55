package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The public list keeps its order as the ids of the reports it shows
// (hooks' publicOrder), read newest first from the partial index
// idx_complaints_public. The index lacked the id, so every rebuild of the
// order read each listed report's row from the table: about 40,000 rows
// scattered over the whole table at county scale, the largest cost of the
// anonymous list. With the id in the index the order is read from the
// index alone.
func init() {
	const (
		index   = "idx_complaints_public"
		where   = "public_until != ''"
		before  = "created, public_until, status, category"
		covered = before + ", id"
	)
	swap := func(columns string) func(app core.App) error {
		return func(app core.App) error {
			c, err := app.FindCollectionByNameOrId("complaints")
			if err != nil {
				return err
			}
			c.RemoveIndex(index)
			c.AddIndex(index, false, columns, where)
			return app.Save(c)
		}
	}
	m.Register(swap(covered), swap(before))
}
