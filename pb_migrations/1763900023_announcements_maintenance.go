package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Telling people about outages (issue "Outages and announcements"):
//   - announcements: a notice in English and Spanish with a severity, a
//     start and an optional end, shown on the resident site, the staff
//     console or both, as a banner and on the Service status page;
//   - town_settings gains the maintenance switch and its message: reads go
//     on, writes answer 503 until it is switched off (dashboard, or
//     `townhall maintenance on|off`).
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection("announcements")
		c.Fields.Add(
			&core.TextField{Name: "title_en", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "title_es", Max: 200, Help: "Spanish title (the English one is shown when empty)"},
			&core.TextField{Name: "body_en", Max: 4000},
			&core.TextField{Name: "body_es", Max: 4000},
			&core.SelectField{Name: "severity", Required: true, MaxSelect: 1, Values: []string{"info", "warning", "outage"}},
			&core.DateField{Name: "starts_at", Required: true},
			&core.DateField{Name: "ends_at", Help: "Empty: until it is ended by hand"},
			&core.SelectField{Name: "shows_on", Required: true, MaxSelect: 1, Values: []string{"both", "site", "staff"},
				Help: "Where the banner shows: the resident site, the staff console or both"},
		)
		autodates(c)
		c.AddIndex("idx_announcements_starts", false, "starts_at, ends_at", "")
		if err := app.Save(c); err != nil {
			return err
		}
		if err := applyRules(app, map[string]Rules{"announcements": AccessRules()["announcements"]}); err != nil {
			return err
		}
		s, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		s.Fields.Add(
			&core.BoolField{Name: "maintenance", Help: "Maintenance mode: reads keep working, changes are refused with the message below"},
			&core.TextField{Name: "maintenance_message", Max: 500},
			&core.TextField{Name: "maintenance_message_es", Max: 500},
		)
		return app.Save(s)
	}, func(app core.App) error {
		s, err := app.FindCollectionByNameOrId("town_settings")
		if err != nil {
			return err
		}
		for _, f := range []string{"maintenance", "maintenance_message", "maintenance_message_es"} {
			s.Fields.RemoveByName(f)
		}
		if err := app.Save(s); err != nil {
			return err
		}
		return deleteCollections(app, "announcements")
	})
}
