package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Insights (the director's figures). A roll-up of one row per request
// (townhall_insight_facts): what the figures need of it and its history,
// encoded by internal/insights and kept by the hooks in the same
// transaction as every change of the request, its history or its rating,
// so that the figures are always current and a year of them reads one
// short row per request instead of every event. The hooks fill it for
// existing requests at the next start.
//
// The targets a director sets (per figure and scope), readable by the staff
// of that scope; and an index of ratings with a comment by date.
func init() {
	m.Register(func(app core.App) error {
		// clustered by last activity: a period reads one stretch of the table
		if _, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS townhall_insight_facts (
			last_activity INTEGER NOT NULL,
			request       TEXT NOT NULL,
			department    TEXT NOT NULL DEFAULT '',
			open          INTEGER NOT NULL DEFAULT 0,
			data          BLOB NOT NULL,
			PRIMARY KEY (last_activity, request)
		) WITHOUT ROWID`).Execute(); err != nil {
			return err
		}
		for _, q := range []string{
			`CREATE UNIQUE INDEX IF NOT EXISTS idx_insight_facts_request ON townhall_insight_facts (request)`,
			`CREATE INDEX IF NOT EXISTS idx_insight_facts_open ON townhall_insight_facts (last_activity) WHERE open = 1`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}

		ids := map[string]string{}
		for _, name := range []string{"departments", "complaint_categories", "permit_types", "staff"} {
			id, err := mustID(app, name)
			if err != nil {
				return err
			}
			ids[name] = id
		}
		targets := core.NewBaseCollection("targets")
		targets.Fields.Add(
			&core.TextField{Name: "metric", Required: true, Max: 40, Presentable: true,
				Help: "The figure: satisfaction, resolve_on_time, resolve_median, county_median, … (see README, Insights)"},
			relation("department", ids["departments"], false, false),
			relation("category", ids["complaint_categories"], false, false),
			relation("permit_type", ids["permit_types"], false, false),
			&core.TextField{Name: "channel", Max: 20},
			&core.SelectField{Name: "comparison", MaxSelect: 1, Values: []string{"at_least", "at_most"},
				Help: "Empty: whichever is better for the figure"},
			&core.NumberField{Name: "value", Help: "The goal, e.g. 4.3 or 90; or leave empty and give a change"},
			&core.NumberField{Name: "change_percent", Min: ptr(-100), Max: ptr(1000), Help: "The goal as a change in % against the baseline year, e.g. -20"},
			intField("baseline_year", 2000, 2100, false),
			&core.TextField{Name: "note", Max: 300},
			relation("created_by", ids["staff"], false, false),
		)
		autodates(targets)
		targets.AddIndex("idx_targets_department", false, "department", "")
		if err := app.Save(targets); err != nil {
			return err
		}
		if err := applyRules(app, map[string]Rules{"targets": AccessRules()["targets"]}); err != nil {
			return err
		}

		fb, err := app.FindCollectionByNameOrId("feedback")
		if err != nil {
			return err
		}
		fb.AddIndex("idx_feedback_comments", false, "created", "comment != ''")
		return app.Save(fb)
	}, func(app core.App) error {
		if fb, err := app.FindCollectionByNameOrId("feedback"); err == nil {
			fb.RemoveIndex("idx_feedback_comments")
			if err := app.Save(fb); err != nil {
				return err
			}
		}
		if err := deleteCollections(app, "targets"); err != nil {
			return err
		}
		_, err := app.DB().NewQuery(`DROP TABLE IF EXISTS townhall_insight_facts`).Execute()
		return err
	})
}
