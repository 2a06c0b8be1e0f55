package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Problem reports (service requests). Residents file and follow them; staff
// of the category's department work them; deadlines and escalation fields are
// written by the server only.
func init() {
	m.Register(func(app core.App) error {
		deptID, err := mustID(app, "departments")
		if err != nil {
			return err
		}
		catID, err := mustID(app, "complaint_categories")
		if err != nil {
			return err
		}
		staffID, err := mustID(app, "staff")
		if err != nil {
			return err
		}
		usersID, err := mustID(app, "users")
		if err != nil {
			return err
		}

		reporterOrStaff := "(" + isResident + " && (reporter = @request.auth.id || followers ?= @request.auth.id)) || " +
			staffOf("department")

		c := core.NewBaseCollection("complaints")
		c.ListRule = rule(reporterOrStaff)
		c.ViewRule = rule(reporterOrStaff)
		c.CreateRule = rule("(" + isResident + " && @request.auth.verified = true && reporter = @request.auth.id) || " + isStaff)
		c.UpdateRule = rule(staffOf("department"))
		c.DeleteRule = nil
		c.Fields.Add(
			&core.TextField{Name: "reference", Max: 40, Presentable: true},
			relation("category", catID, true, false),
			relation("department", deptID, false, false),
			relation("reporter", usersID, false, false),
			&core.RelationField{Name: "followers", CollectionId: usersID, MaxSelect: 1000, Hidden: true,
				Help: "Residents whose duplicate reports point here; they follow this report"},
			&core.TextField{Name: "caller_name", Max: 200},
			&core.TextField{Name: "caller_phone", Max: 40},
			&core.EmailField{Name: "caller_email"},
			&core.SelectField{Name: "language", MaxSelect: 1, Values: []string{"en", "es"}},
			&core.SelectField{Name: "source", MaxSelect: 1, Values: []string{"web", "phone", "walk_in", "email"}},
			&core.TextField{Name: "description", Max: 5000},
			&core.BoolField{Name: "description_private", Help: "Keep the description off the public list"},
			&core.TextField{Name: "address", Max: 300},
			&core.GeoPointField{Name: "location"},
			&core.BoolField{Name: "has_location"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{
				"new", "acknowledged", "in_progress", "resolved", "closed", "rejected", "duplicate"}},
			relation("assignee", staffID, false, false),
			relation("created_by", staffID, false, false),
			&core.DateField{Name: "ack_due_at"},
			&core.DateField{Name: "resolve_due_at"},
			&core.DateField{Name: "acknowledged_at"},
			&core.DateField{Name: "resolved_at"},
			&core.DateField{Name: "closed_at"},
			&core.DateField{Name: "reopened_at"},
			&core.TextField{Name: "resolution_note", Max: 5000},
			&core.TextField{Name: "reject_reason", Max: 5000},
			intField("escalation_level", 0, 3, false),
			&core.DateField{Name: "escalated_at"},
			&core.DateField{Name: "next_escalation_at"},
		)
		autodates(c)
		if err := app.Save(c); err != nil {
			return err
		}
		// a self relation needs the collection's own id, known only once saved
		c.Fields.Add(relation("duplicate_of", c.Id, false, false))
		c.AddIndex("idx_complaints_reference", true, "reference", "reference != ''")
		c.AddIndex("idx_complaints_reporter", false, "reporter, created", "")
		c.AddIndex("idx_complaints_queue", false, "department, status, resolve_due_at", "")
		c.AddIndex("idx_complaints_status_due", false, "status, resolve_due_at", "")
		c.AddIndex("idx_complaints_ack_due", false, "status, ack_due_at", "")
		c.AddIndex("idx_complaints_assignee", false, "assignee, status", "")
		c.AddIndex("idx_complaints_category", false, "category, status", "")
		c.AddIndex("idx_complaints_escalation", false, "next_escalation_at", "next_escalation_at != ''")
		c.AddIndex("idx_complaints_created", false, "created", "")
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, "complaints")
	})
}
