package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Every collection's rules from one table (rules.go), with two changes:
// staff no longer see a resident's permit application, its documents or its
// history before it is submitted (counter drafts stay theirs), and people who
// follow a report read only its status changes.
func init() {
	m.Register(func(app core.App) error {
		return applyRules(app, AccessRules())
	}, func(app core.App) error {
		before := AccessRules()
		ownPermitOrStaff := "(" + isResident + " && owner = @request.auth.id) || " + staffOf("department")
		permits := before["permits"]
		permits.List, permits.View = rule(ownPermitOrStaff), rule(ownPermitOrStaff)
		permits.Update = rule("(" + isResident + " && owner = @request.auth.id && (status = 'draft' || status = 'changes_requested')) || " + staffOf("department"))
		before["permits"] = permits

		ownDocumentOrStaff := "(" + isResident + " && owner = @request.auth.id) || " + staffOf("department")
		docs := before["documents"]
		docs.List, docs.View, docs.Update = rule(ownDocumentOrStaff), rule(ownDocumentOrStaff), rule(staffOf("department"))
		before["documents"] = docs

		history := "(" + isResident + " && public = true && (permit.owner = @request.auth.id || complaint.reporter = @request.auth.id || " +
			"complaint.followers.id ?= @request.auth.id)) || " + staffOf("department")
		before["events"] = Rules{List: rule(history), View: rule(history)}
		return applyRules(app, before)
	})
}
