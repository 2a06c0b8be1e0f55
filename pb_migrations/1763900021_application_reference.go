package pb_migrations

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Every application gets a reference when it is first submitted
// (APP-2026-00042: sequential per year in the town's time zone, from the
// same crash-safe counters as permit numbers), so that a resident has
// something to quote on the phone long before a permit number is issued.
// Applications already submitted get theirs here, in the order they were
// submitted. The queue's search reads the reference from its index too.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("permits")
		if err != nil {
			return err
		}
		c.Fields.Add(&core.TextField{Name: "reference", Max: 20, Help: "APP-YYYY-NNNNN, given at the first submission (written by the server)"})
		c.AddIndex("idx_permits_reference", true, "reference", "reference != ''")
		c.RemoveIndex("idx_permits_search")
		c.AddIndex("idx_permits_search", false, "status, department, reference, number, site_address", "")
		if err := app.Save(c); err != nil {
			return err
		}
		loc := time.UTC
		var tz string
		if err := app.DB().NewQuery("SELECT timezone FROM town_settings LIMIT 1").Row(&tz); err == nil {
			if l, err := time.LoadLocation(tz); err == nil {
				loc = l
			}
		}
		var rows []struct {
			ID        string `db:"id"`
			Submitted string `db:"submitted_at"`
		}
		if err := app.DB().NewQuery("SELECT id, submitted_at FROM permits WHERE submitted_at != '' AND reference = '' ORDER BY submitted_at, created, id").All(&rows); err != nil {
			return err
		}
		for _, row := range rows {
			at, err := time.Parse("2006-01-02 15:04:05.000Z", row.Submitted)
			if err != nil {
				return fmt.Errorf("permit %s: submitted_at %q: %w", row.ID, row.Submitted, err)
			}
			year := at.In(loc).Year()
			var seq int
			if err := app.DB().NewQuery(`INSERT INTO townhall_counters (key, value) VALUES ({:key}, 1)
				ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value`).
				Bind(dbx.Params{"key": fmt.Sprintf("application:APP:%d", year)}).Row(&seq); err != nil {
				return err
			}
			if _, err := app.DB().Update("permits", dbx.Params{"reference": fmt.Sprintf("APP-%d-%05d", year, seq)}, dbx.HashExp{"id": row.ID}).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("permits")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_permits_reference")
		c.RemoveIndex("idx_permits_search")
		c.AddIndex("idx_permits_search", false, "status, department, number, site_address", "")
		c.Fields.RemoveByName("reference")
		return app.Save(c)
	})
}
