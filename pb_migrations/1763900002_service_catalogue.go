package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The public service catalogue: permit types and problem-report categories.
func init() {
	m.Register(func(app core.App) error {
		deptID, err := mustID(app, "departments")
		if err != nil {
			return err
		}
		catalogueRule := rule("active = true || " + isStaff)

		types := core.NewBaseCollection("permit_types")
		types.ListRule = catalogueRule
		types.ViewRule = catalogueRule
		types.Fields.Add(
			&core.TextField{Name: "code", Required: true, Max: 6, Pattern: `^[A-Z]{2,6}$`, Presentable: true,
				Help: "Prefix of issued permit numbers, e.g. BLD gives BLD-2026-00042"},
			&core.TextField{Name: "name_en", Required: true, Max: 120, Presentable: true},
			&core.TextField{Name: "name_es", Max: 120},
			&core.TextField{Name: "description_en", Max: 4000},
			&core.TextField{Name: "description_es", Max: 4000},
			relation("department", deptID, true, false),
			&core.NumberField{Name: "fee", Min: ptr(0), Max: ptr(1000000), Help: "Fee in dollars; 0 means free"},
			intField("validity_days", 0, 36500, false),
			intField("turnaround_days", 0, 3650, false),
			&core.JSONField{Name: "fields", MaxSize: 200000,
				Help: "The application form: a list of field definitions (see README)"},
			&core.JSONField{Name: "required_documents", MaxSize: 50000,
				Help: "Documents an applicant must upload before submitting (see README)"},
			&core.BoolField{Name: "active"},
		)
		autodates(types)
		types.AddIndex("idx_permit_types_code", true, "code", "")
		types.AddIndex("idx_permit_types_department", false, "department, active", "")
		if err := app.Save(types); err != nil {
			return err
		}

		cats := core.NewBaseCollection("complaint_categories")
		cats.ListRule = catalogueRule
		cats.ViewRule = catalogueRule
		cats.Fields.Add(
			&core.TextField{Name: "code", Required: true, Max: 40, Pattern: `^[a-z0-9_-]+$`, Presentable: true},
			&core.TextField{Name: "name_en", Required: true, Max: 120, Presentable: true},
			&core.TextField{Name: "name_es", Max: 120},
			&core.TextField{Name: "description_en", Max: 4000},
			&core.TextField{Name: "description_es", Max: 4000},
			relation("department", deptID, true, false),
			&core.NumberField{Name: "ack_hours", Min: ptr(0), Max: ptr(10000), Required: true,
				Help: "Business hours allowed to acknowledge a new report"},
			&core.NumberField{Name: "resolve_hours", Min: ptr(0), Max: ptr(100000), Required: true,
				Help: "Business hours allowed to resolve a report"},
			&core.BoolField{Name: "active"},
		)
		autodates(cats)
		cats.AddIndex("idx_complaint_categories_code", true, "code", "")
		cats.AddIndex("idx_complaint_categories_department", false, "department, active", "")
		return app.Save(cats)
	}, func(app core.App) error {
		return deleteCollections(app, "complaint_categories", "permit_types")
	})
}
