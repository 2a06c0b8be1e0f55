package pb_migrations

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/dbutils"
)

// An email address is one address whatever its capitals: Rosa@Example.net
// signs in as rosa@example.net, and nobody can open a second account with
// A@Resident.TEST beside a@resident.test. PocketBase looks addresses up
// case-insensitively once their unique index says COLLATE NOCASE. A database
// that already holds two accounts differing only in case keeps its old index
// (and a warning in the log) until an administrator merges them.
func init() {
	swap := func(app core.App, nocase bool) error {
		for _, name := range []string{"users", "staff"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			if nocase {
				var dups int
				err := app.DB().NewQuery(fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM `%s` WHERE email != '' GROUP BY email COLLATE NOCASE HAVING COUNT(*) > 1)", c.Name)).Row(&dups)
				if err != nil {
					return err
				}
				if dups > 0 {
					app.Logger().Warn("accounts differ only in the case of their email; addresses stay case-sensitive until they are merged",
						"collection", c.Name, "addresses", dups)
					continue
				}
			}
			for _, raw := range c.Indexes {
				idx := dbutils.ParseIndex(raw)
				if !idx.Unique || len(idx.Columns) != 1 || strings.Trim(idx.Columns[0].Name, "`[]\"") != core.FieldNameEmail {
					continue
				}
				columns := "`email`"
				if nocase {
					columns += " COLLATE NOCASE"
				}
				c.RemoveIndex(idx.IndexName)
				c.AddIndex(idx.IndexName, true, columns, "`email` != ''")
				break
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error { return swap(app, true) }, func(app core.App) error { return swap(app, false) })
}
