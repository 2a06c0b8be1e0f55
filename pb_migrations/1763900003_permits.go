package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Permit applications. Residents write only their answers and site address;
// status, number, dates, fee, payment and assignment are written by the
// server's actions (enforced in hooks, not only here).
func init() {
	m.Register(func(app core.App) error {
		deptID, err := mustID(app, "departments")
		if err != nil {
			return err
		}
		typeID, err := mustID(app, "permit_types")
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

		ownerOrStaff := "(" + isResident + " && owner = @request.auth.id) || " + staffOf("department")

		permits := core.NewBaseCollection("permits")
		permits.ListRule = rule(ownerOrStaff)
		permits.ViewRule = rule(ownerOrStaff)
		permits.CreateRule = rule("(" + isResident + " && @request.auth.verified = true && owner = @request.auth.id) || " +
			staffOf("permit_type.department"))
		permits.UpdateRule = rule("(" + isResident + " && owner = @request.auth.id && " +
			"(status = 'draft' || status = 'changes_requested')) || " + staffOf("department"))
		permits.DeleteRule = nil
		permits.Fields.Add(
			relation("permit_type", typeID, true, false),
			relation("department", deptID, false, false),
			relation("owner", usersID, false, false),
			&core.TextField{Name: "applicant_name", Max: 200},
			&core.EmailField{Name: "applicant_email"},
			&core.TextField{Name: "applicant_phone", Max: 40},
			&core.SelectField{Name: "language", MaxSelect: 1, Values: []string{"en", "es"}},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{
				"draft", "submitted", "in_review", "changes_requested", "approved", "denied", "issued", "expired", "withdrawn"}},
			&core.JSONField{Name: "data", MaxSize: 200000},
			&core.TextField{Name: "site_address", Max: 300, Presentable: true},
			&core.TextField{Name: "number", Max: 40, Presentable: true},
			&core.NumberField{Name: "fee", Min: ptr(0), Max: ptr(1000000)},
			&core.NumberField{Name: "paid_amount", Min: ptr(0), Max: ptr(1000000)},
			&core.SelectField{Name: "payment_method", MaxSelect: 1, Values: []string{"cash", "check", "card", "transfer", "waived"}},
			&core.TextField{Name: "payment_reference", Max: 120},
			relation("paid_by", staffID, false, false),
			&core.DateField{Name: "paid_at"},
			relation("assignee", staffID, false, false),
			relation("created_by", staffID, false, false),
			&core.DateField{Name: "submitted_at"},
			&core.DateField{Name: "review_due_at"},
			&core.DateField{Name: "decided_at"},
			&core.DateField{Name: "issued_at"},
			&core.DateField{Name: "expires_at"},
			&core.DateField{Name: "reminder_sent_at"},
		)
		autodates(permits)
		permits.AddIndex("idx_permits_number", true, "number", "number != ''")
		permits.AddIndex("idx_permits_owner", false, "owner, created", "")
		permits.AddIndex("idx_permits_queue", false, "department, status, review_due_at", "")
		permits.AddIndex("idx_permits_status_due", false, "status, review_due_at", "")
		permits.AddIndex("idx_permits_assignee", false, "assignee, status", "")
		permits.AddIndex("idx_permits_type", false, "permit_type, status", "")
		permits.AddIndex("idx_permits_expiry", false, "status, expires_at", "")
		return app.Save(permits)
	}, func(app core.App) error {
		return deleteCollections(app, "permits")
	})
}
