package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The mail outbox, the town's own settings (calendar, limits, office
// contact) and the counters behind reference numbers.
func init() {
	m.Register(func(app core.App) error {
		ids := map[string]string{}
		for _, name := range []string{"permits", "complaints"} {
			id, err := mustID(app, name)
			if err != nil {
				return err
			}
			ids[name] = id
		}

		outbox := core.NewBaseCollection("outbox")
		outbox.Fields.Add(
			&core.EmailField{Name: "to", Required: true},
			&core.TextField{Name: "subject", Required: true, Max: 300},
			&core.TextField{Name: "text", Max: 50000},
			&core.TextField{Name: "html", Max: 200000},
			&core.TextField{Name: "kind", Max: 60},
			&core.TextField{Name: "dedupe_key", Max: 200, Help: "A message with the same key is queued only once"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"pending", "sent", "failed"}},
			intField("attempts", 0, 1000, false),
			&core.DateField{Name: "next_attempt_at"},
			&core.DateField{Name: "sent_at"},
			&core.TextField{Name: "last_error", Max: 2000},
			relation("permit", ids["permits"], false, false),
			relation("complaint", ids["complaints"], false, false),
		)
		autodates(outbox)
		outbox.AddIndex("idx_outbox_due", false, "status, next_attempt_at", "")
		outbox.AddIndex("idx_outbox_dedupe", true, "dedupe_key", "dedupe_key != ''")
		if err := app.Save(outbox); err != nil {
			return err
		}

		settings := core.NewBaseCollection("town_settings")
		settings.ListRule = rule("")
		settings.ViewRule = rule("")
		settings.Fields.Add(
			&core.TextField{Name: "town_name", Required: true, Max: 120, Presentable: true},
			&core.TextField{Name: "timezone", Required: true, Max: 60, Help: "IANA time zone, e.g. America/Chicago"},
			&core.SelectField{Name: "work_days", Required: true, MaxSelect: 7,
				Values: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}},
			&core.TextField{Name: "open_time", Required: true, Pattern: `^([01][0-9]|2[0-3]):[0-5][0-9]$`, Help: "HH:MM"},
			&core.TextField{Name: "close_time", Required: true, Pattern: `^([01][0-9]|2[0-3]):[0-5][0-9]$`, Help: "HH:MM"},
			&core.JSONField{Name: "holidays", MaxSize: 20000, Help: `Closed dates, e.g. ["2026-12-25", "2027-01-01"]`},
			intField("reopen_days", 0, 365, false),
			intField("max_upload_mb", 1, 50, false),
			intField("max_megapixels", 1, 200, false),
			intField("escalation_delay_hours", 1, 1000, false),
			&core.EmailField{Name: "office_email"},
			&core.TextField{Name: "office_phone", Max: 40},
			&core.TextField{Name: "office_address", Max: 300},
			&core.TextField{Name: "office_hours", Max: 300},
			&core.TextField{Name: "office_hours_es", Max: 300},
		)
		autodates(settings)
		if err := app.Save(settings); err != nil {
			return err
		}
		defaults := core.NewRecord(settings)
		defaults.Load(map[string]any{
			"town_name":              "Townhall",
			"timezone":               "America/Chicago",
			"work_days":              []string{"mon", "tue", "wed", "thu", "fri"},
			"open_time":              "08:00",
			"close_time":             "17:00",
			"holidays":               []string{},
			"reopen_days":            14,
			"max_upload_mb":          15,
			"max_megapixels":         40,
			"escalation_delay_hours": 8,
			"office_hours":           "Monday to Friday, 8:00 to 17:00",
			"office_hours_es":        "De lunes a viernes, de 8:00 a 17:00",
		})
		if err := app.Save(defaults); err != nil {
			return err
		}

		_, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS townhall_counters (
			key   TEXT PRIMARY KEY NOT NULL,
			value INTEGER NOT NULL DEFAULT 0
		)`).Execute()
		return err
	}, func(app core.App) error {
		if _, err := app.DB().NewQuery(`DROP TABLE IF EXISTS townhall_counters`).Execute(); err != nil {
			return err
		}
		return deleteCollections(app, "town_settings", "outbox")
	})
}
