package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Uploaded documents and photos (private files), the append-only audit trail
// and residents' ratings.
func init() {
	m.Register(func(app core.App) error {
		ids := map[string]string{}
		for _, name := range []string{"departments", "users", "staff", "permits", "complaints"} {
			id, err := mustID(app, name)
			if err != nil {
				return err
			}
			ids[name] = id
		}

		docs := core.NewBaseCollection("documents")
		docs.ListRule = rule("(" + isResident + " && owner = @request.auth.id) || " + staffOf("department"))
		docs.ViewRule = docs.ListRule
		docs.CreateRule = rule("(" + isResident + " && owner = @request.auth.id && (" +
			"(permit.owner = @request.auth.id && (permit.status = 'draft' || permit.status = 'changes_requested')) || " +
			"(complaint.reporter = @request.auth.id && complaint.status = 'new'))) || " +
			"(" + isStaff + " && (@request.auth.role = 'director' || permit.department = @request.auth.department || " +
			"complaint.department = @request.auth.department))")
		docs.UpdateRule = rule(staffOf("department"))
		docs.DeleteRule = rule(isResident + " && owner = @request.auth.id && permit.status = 'draft'")
		docs.Fields.Add(
			relation("permit", ids["permits"], false, true),
			relation("complaint", ids["complaints"], false, true),
			relation("department", ids["departments"], false, false),
			relation("owner", ids["users"], false, false),
			relation("uploaded_by", ids["staff"], false, false),
			&core.TextField{Name: "kind", Max: 60, Help: "The required-document key, or 'photo'"},
			&core.FileField{Name: "file", Required: true, MaxSelect: 1, MaxSize: 50 << 20, Protected: true,
				MimeTypes: []string{"application/pdf", "image/jpeg", "image/png", "image/webp"},
				Thumbs:    []string{"96x96", "480x0"}},
			&core.TextField{Name: "original_name", Max: 255},
			&core.TextField{Name: "sha256", Max: 64},
			&core.NumberField{Name: "size", Min: ptr(0)},
			&core.TextField{Name: "content_type", Max: 100},
			&core.BoolField{Name: "public", Help: "Staff marked this photo as fit for the public list"},
		)
		autodates(docs)
		docs.AddIndex("idx_documents_permit", false, "permit, kind", "")
		docs.AddIndex("idx_documents_complaint", false, "complaint", "")
		docs.AddIndex("idx_documents_owner", false, "owner", "")
		if err := app.Save(docs); err != nil {
			return err
		}

		events := core.NewBaseCollection("events")
		eventsRule := rule("(" + isResident + " && public = true && (permit.owner = @request.auth.id || " +
			"complaint.reporter = @request.auth.id || complaint.followers ?= @request.auth.id)) || " + staffOf("department"))
		events.ListRule = eventsRule
		events.ViewRule = eventsRule
		events.Fields.Add(
			relation("permit", ids["permits"], false, true),
			relation("complaint", ids["complaints"], false, true),
			relation("department", ids["departments"], false, false),
			&core.SelectField{Name: "actor_kind", Required: true, MaxSelect: 1,
				Values: []string{"resident", "staff", "system", "superuser"}},
			relation("actor_user", ids["users"], false, false),
			relation("actor_staff", ids["staff"], false, false),
			&core.TextField{Name: "actor_name", Max: 200},
			&core.TextField{Name: "action", Required: true, Max: 60},
			&core.TextField{Name: "from_status", Max: 40},
			&core.TextField{Name: "to_status", Max: 40},
			&core.TextField{Name: "comment", Max: 5000},
			&core.BoolField{Name: "public", Help: "The resident may see this event"},
			&core.JSONField{Name: "data", MaxSize: 20000},
		)
		autodates(events)
		events.AddIndex("idx_events_permit", false, "permit, created", "")
		events.AddIndex("idx_events_complaint", false, "complaint, created", "")
		events.AddIndex("idx_events_department", false, "department, created", "")
		if err := app.Save(events); err != nil {
			return err
		}

		feedback := core.NewBaseCollection("feedback")
		feedback.ListRule = rule("(" + isResident + " && author = @request.auth.id) || " + staffOf("department"))
		feedback.ViewRule = feedback.ListRule
		feedback.CreateRule = rule(isResident + " && author = @request.auth.id && (" +
			"(complaint.reporter = @request.auth.id && (complaint.status = 'resolved' || complaint.status = 'closed')) || " +
			"(permit.owner = @request.auth.id && (permit.status = 'issued' || permit.status = 'denied' || permit.status = 'expired')))")
		feedback.Fields.Add(
			relation("complaint", ids["complaints"], false, true),
			relation("permit", ids["permits"], false, true),
			relation("department", ids["departments"], false, false),
			relation("author", ids["users"], true, false),
			intField("rating", 1, 5, true),
			&core.TextField{Name: "comment", Max: 2000},
		)
		autodates(feedback)
		feedback.AddIndex("idx_feedback_complaint", true, "complaint", "complaint != ''")
		feedback.AddIndex("idx_feedback_permit", true, "permit", "permit != ''")
		feedback.AddIndex("idx_feedback_department", false, "department, created", "")
		return app.Save(feedback)
	}, func(app core.App) error {
		return deleteCollections(app, "feedback", "events", "documents")
	})
}
