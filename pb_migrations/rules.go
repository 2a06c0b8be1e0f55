package pb_migrations

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/pocketbase/core"
)

// Rules are one collection's API rules: who may list, view, create, update
// and delete its records, and (auth collections) who may sign in. A nil rule
// is administrators only; "" is everybody.
type Rules struct {
	List, View, Create, Update, Delete *string
	Auth                               *string // auth collections only; nil leaves PocketBase's default
}

// The parts the rules are made of.
const (
	me = "@request.auth.id"
	// draftNotHidden keeps a resident's permit application from staff until
	// it is submitted; what staff started at the counter is theirs from the start.
	draftNotHidden = "(status != 'draft' || created_by != '')"
	// the same for what belongs to an application (documents, history)
	parentDraftNotHidden = "(permit = '' || permit.status != 'draft' || permit.created_by != '')"
)

// AccessRules is the current access rule of every collection of ours (and
// PocketBase's users, our residents), in one table. This is where to read
// who may do what with the records API; the hooks add what a rule cannot
// say (field-level write limits, lifecycle, the states an upload needs,
// what followers see, which filters are allowed).
//
// The table is applied by migration 1763900011_access_rules; a later change
// here goes with a new migration calling applyRules, and
// TestRulesTableMatchesCollections checks that the database says the same.
func AccessRules() map[string]Rules {
	ownPermitOrStaff := "(" + isResident + " && owner = " + me + ") || (" + staffOf("department") + " && " + draftNotHidden + ")"
	ownReportOrStaff := "(" + isResident + " && (reporter = " + me + " || followers.id ?= " + me + ")) || " + staffOf("department")
	ownDocumentOrStaff := "(" + isResident + " && owner = " + me + ") || (" + staffOf("department") + " && " + parentDraftNotHidden + ")"
	// residents read the public history of their own requests; people who
	// follow a report read its status changes only (hooks trim the rest)
	ownHistoryOrStaff := "(" + isResident + " && public = true && (permit.owner = " + me + " || complaint.reporter = " + me +
		" || (complaint.followers.id ?= " + me + " && to_status != ''))) || (" + staffOf("department") + " && " + parentDraftNotHidden + ")"
	ownRatingOrStaff := "(" + isResident + " && author = " + me + ") || " + staffOf("department")
	activeOrStaff := "active = true || " + isStaff

	return map[string]Rules{
		"users": {
			List: rule("id = " + me + " || " + isStaff), View: rule("id = " + me + " || " + isStaff),
			Create: rule(""), Update: rule("id = " + me), Delete: rule("id = " + me),
			Auth: rule(""),
		},
		"staff": {
			List: rule(isStaff), View: rule(isStaff),
			// staff change their own name and password; role, department and
			// the active switch are the administrator's
			Update: rule("id = " + me + " && @request.body.role:isset = false && @request.body.department:isset = false && " +
				"@request.body.active:isset = false && @request.body.verified:isset = false"),
			Auth: rule("active = true"),
		},
		// notices to the public and staff: shown once they start; directors write them
		"announcements": {
			List: rule(announcementShown), View: rule(announcementShown),
			Create: rule(isDirector), Update: rule(isDirector), Delete: rule(isDirector),
		},
		"departments":          {List: rule(""), View: rule("")},
		"permit_types":         {List: rule(activeOrStaff), View: rule(activeOrStaff)},
		"complaint_categories": {List: rule(activeOrStaff), View: rule(activeOrStaff)},
		"permits": {
			List: rule(ownPermitOrStaff), View: rule(ownPermitOrStaff),
			Create: rule("(" + isResident + " && @request.auth.verified = true && owner = " + me + ") || " + staffOf("permit_type.department")),
			Update: rule("(" + isResident + " && owner = " + me + " && (status = 'draft' || status = 'changes_requested')) || (" +
				staffOf("department") + " && " + draftNotHidden + ")"),
		},
		"complaints": {
			List: rule(ownReportOrStaff), View: rule(ownReportOrStaff),
			Create: rule("(" + isResident + " && @request.auth.verified = true && reporter = " + me + ") || " + isStaff),
			Update: rule(staffOf("department")),
		},
		"documents": {
			List: rule(ownDocumentOrStaff), View: rule(ownDocumentOrStaff),
			// any signed-in caller may try: hooks check parent, state and file with a reason
			Create: rule(me + " != ''"),
			Update: rule(staffOf("department") + " && " + parentDraftNotHidden),
			Delete: rule(isResident + " && owner = " + me + " && permit.status = 'draft'"),
		},
		"events":        {List: rule(ownHistoryOrStaff), View: rule(ownHistoryOrStaff)},
		"feedback":      {List: rule(ownRatingOrStaff), View: rule(ownRatingOrStaff), Create: rule(feedbackCreate)},
		"outbox":        {},
		"town_settings": {List: rule(""), View: rule("")},
		// the director's targets: staff read those of their department and the
		// county-wide ones; directors set them
		"targets": {List: rule(targetsInScope), View: rule(targetsInScope),
			Create: rule(isDirector), Update: rule(isDirector), Delete: rule(isDirector)},
		// Open311 clients and their keys: administrators only (the dashboard)
		"open311_clients": {},
		// "was this page helpful?": anyone answers (anonymous, rate-limited); directors read
		"page_feedback": {List: rule(isDirector), View: rule(isDirector), Create: rule("")},
		// topic alerts: the active topics are public (staff see all); administrators keep them
		"alert_topics": {List: rule(activeOrStaff), View: rule(activeOrStaff)},
		// a resident's own subscriptions, nobody else's (not even staff): a
		// confirmed account subscribes itself to an active topic, and stops
		"alert_subscriptions": {List: rule(ownSubscription), View: rule(ownSubscription),
			Create: rule(ownSubscription + " && @request.auth.verified = true && topic.active = true"), Delete: rule(ownSubscription)},
		// the county's address points: administrators only; anyone searches through /api/townhall/public/addresses
		"addresses": {},
	}
}

// ownSubscription: the signed-in resident's own alert subscription.
const ownSubscription = isResident + " && user = " + me

// announcementShown: a notice that has started (directors also see those
// scheduled for later).
const announcementShown = "starts_at <= @now || " + isDirector

// feedbackCreate: the reporter of a resolved report, or the applicant of a
// decided application, rates it.
const feedbackCreate = isResident + " && author = " + me + " && (" +
	"(complaint.reporter = " + me + " && (complaint.status = 'resolved' || complaint.status = 'closed')) || " +
	"(permit.owner = " + me + " && (permit.status = 'issued' || permit.status = 'denied' || permit.status = 'expired')))"

// targetsInScope: a target of the caller's department, or of the whole county.
const targetsInScope = isStaff + " && (@request.auth.role = 'director' || department = '' || department = @request.auth.department)"

// applyRules sets every collection's rules from a table. It saves without
// validating, so that the table may name a field that a later migration adds
// (on a new installation every migration runs before the first request);
// TestEveryRuleIsValid checks the final schema. A collection that does not
// exist yet is skipped: the later migration that creates it applies its row.
func applyRules(app core.App, table map[string]Rules) error {
	for name, r := range table {
		c, err := app.FindCollectionByNameOrId(name)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule = r.List, r.View, r.Create, r.Update, r.Delete
		if c.IsAuth() && r.Auth != nil {
			c.AuthRule = r.Auth
		}
		if err := app.SaveNoValidate(c); err != nil {
			return err
		}
	}
	return nil
}
