package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// How often the escalation job looks for overdue reports (minutes; 5 by default).
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		f := intField("escalation_every_minutes", 1, 1440, false)
		f.Help = "How often overdue reports are escalated, in minutes"
		c.Fields.Add(f)
		if err := app.Save(c); err != nil {
			return err
		}
		records, err := app.FindAllRecords(c)
		if err != nil {
			return err
		}
		for _, r := range records {
			if r.GetInt("escalation_every_minutes") == 0 {
				r.Set("escalation_every_minutes", 5)
				if err := app.Save(r); err != nil {
					return err
				}
			}
		}
		return nil
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("escalation_every_minutes")
		return app.Save(c)
	})
}
