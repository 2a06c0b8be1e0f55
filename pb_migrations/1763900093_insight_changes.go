package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Insights keeps the roll-up (townhall_insight_facts) in memory and reads
// only what changed since its last call: every write of a fact appends the
// request's id here, in the same transaction (request "*": the whole
// roll-up was rewritten). The hooks keep the last 20,000 entries; a reader
// further behind reads the whole roll-up again.
func init() {
	m.Register(func(app core.App) error {
		_, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS townhall_insight_changes (
			seq     INTEGER PRIMARY KEY AUTOINCREMENT,
			request TEXT NOT NULL
		)`).Execute()
		return err
	}, func(app core.App) error {
		_, err := app.DB().NewQuery(`DROP TABLE IF EXISTS townhall_insight_changes`).Execute()
		return err
	})
}
