package hooks

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// maxDescription is the longest description a report may have (characters).
const maxDescription = 5000

// complaintKind is the problem report as a request kind.
func (p *Portal) complaintKind() requestKind {
	return requestKind{
		machine:      workflow.Complaint(),
		collection:   "complaints",
		parentField:  "complaint",
		ownerField:   "reporter",
		contactField: "caller_email",
		nameField:    "caller_name",
		vars:         p.complaintVars,
		// reports take photos
		checkDocument: func(tx core.App, r, doc *core.Record, lang i18n.Lang) error {
			if strings.TrimSpace(doc.GetString("kind")) == "" {
				doc.Set("kind", "photo")
			}
			return nil
		},
		prepare:   p.prepareComplaintAction,
		afterSave: p.notifyComplaintChange,
	}
}

// registerComplaints installs the problem-report lifecycle, the checks of a
// new report, its reference and deadlines, and the escalation schedule kept
// on every save.
func (p *Portal) registerComplaints() {
	p.registerLifecycle(p.complaintKind())

	// staff filing for a walk-in or caller are recorded as the report's creator
	p.app.OnRecordCreateRequest("complaints").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Auth != nil && e.Auth.Collection().Name == "staff" {
			e.Record.Set("created_by", e.Auth.Id)
			if e.Record.GetString("source") == "" || e.Record.GetString("source") == "web" {
				e.Record.Set("source", "phone")
			}
		}
		return e.Next()
	})

	p.app.OnRecordCreate("complaints").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		lang := i18n.Parse(r.GetString("language"))
		if err := checkReport(r, lang); err != nil {
			return err
		}
		original := e.App
		defer func() { e.App = original }()
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			now := p.now().UTC()
			t := p.townSettings(tx)
			year := now.In(t.Calendar.Location()).Year()
			seq, err := nextSequence(tx, fmt.Sprintf("complaint:SR:%d", year))
			if err != nil {
				return err
			}
			r.Set("reference", fmt.Sprintf("SR-%d-%05d", year, seq))
			if cat, err := tx.FindRecordById("complaint_categories", r.GetString("category")); err == nil {
				r.Set("ack_due_at", t.Calendar.Deadline(now, hours(cat.GetFloat("ack_hours"))))
				r.Set("resolve_due_at", t.Calendar.Deadline(now, hours(cat.GetFloat("resolve_hours"))))
			}
			p.scheduleEscalation(r, t)
			setPublicUntil(r)
			if err := e.Next(); err != nil {
				return err
			}
			// every report's history starts with it being reported (as an
			// application's starts with its submission)
			if err := p.appendEvent(tx, p.complaintKind(), r, event{Action: "reported", To: r.GetString("status"), Public: true, Actor: reporterOf(tx, r)}); err != nil {
				return err
			}
			return p.notifyNewComplaint(tx, r)
		})
	})

	p.app.OnRecordUpdate("complaints").BindFunc(func(e *core.RecordEvent) error {
		if err := checkReport(e.Record, i18n.Parse(e.Record.GetString("language"))); err != nil {
			return err
		}
		p.scheduleEscalation(e.Record, p.townSettings(e.App))
		setPublicUntil(e.Record)
		return e.Next()
	})
}

// publicDays is how long a resolved report stays on the public list.
const publicDays = 30

// forever is the public_until of an open report.
var forever = time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, time.UTC)

// setPublicUntil records until when a report is on the public list: while
// open, always; once resolved or closed, for 30 days after; otherwise not.
// (Migration 1763900017 computes the same for existing reports.)
func setPublicUntil(r *core.Record) {
	status := r.GetString("status")
	switch {
	case workflow.Complaint().IsOpen(status):
		r.Set("public_until", forever)
	case status == "resolved" || status == "closed":
		last := r.GetDateTime("resolved_at").Time()
		if c := r.GetDateTime("closed_at").Time(); c.After(last) {
			last = c
		}
		if last.IsZero() {
			r.Set("public_until", "")
			return
		}
		r.Set("public_until", last.AddDate(0, 0, publicDays))
	default:
		r.Set("public_until", "")
	}
}

// ExpirePublicList takes off the public list the reports whose time on it
// has passed (so that its index holds only what the list shows).
func (p *Portal) ExpirePublicList() (int64, error) {
	now, _ := types.ParseDateTime(p.now().UTC())
	res, err := p.app.DB().NewQuery("UPDATE complaints SET public_until = '' WHERE public_until != '' AND public_until < {:now}").
		Bind(dbx.Params{"now": now.String()}).Execute()
	if err != nil {
		return 0, err
	}
	p.public.forget()
	return res.RowsAffected()
}

// hours converts a number of hours to a duration.
func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }

// checkReport refuses a report a resident could not act on: no description,
// one that is too long, or a map point outside the world. (Open311 makes the
// description optional: a report from a 311 app may have none.)
func checkReport(r *core.Record, lang i18n.Lang) error {
	desc := strings.TrimSpace(r.GetString("description"))
	switch {
	case desc == "" && r.GetString("source") != "open311":
		return validationError("description", "required", lang.T("report.description_required"))
	case utf8.RuneCountInString(desc) > maxDescription:
		return validationError("description", "too_long", lang.T("report.description_too_long", maxDescription))
	}
	r.Set("description", desc)
	loc := r.GetGeoPoint("location")
	switch {
	case math.IsNaN(loc.Lat) || math.IsNaN(loc.Lon) || loc.Lat < -90 || loc.Lat > 90 || loc.Lon < -180 || loc.Lon > 180:
		return validationError("location", "out_of_range", lang.T("report.location_range"))
	case loc.Lat == 0 && loc.Lon == 0:
		r.Set("has_location", false) // no point given (PocketBase stores junk as 0,0)
	default:
		r.Set("has_location", true)
	}
	return nil
}

// scheduleEscalation sets when the report next climbs a level: while it is
// open and overdue, at the deadline it breaches, and no sooner than the
// town's escalation delay after the previous level; never past level 3.
func (p *Portal) scheduleEscalation(r *core.Record, t town) {
	next := nextEscalation(r, t)
	if next.IsZero() {
		r.Set("next_escalation_at", "")
		return
	}
	r.Set("next_escalation_at", next.UTC())
}

// nextEscalation computes the moment of a report's next escalation (zero: none).
func nextEscalation(r *core.Record, t town) time.Time {
	if !workflow.Complaint().IsOpen(r.GetString("status")) || r.GetInt("escalation_level") >= 3 {
		return time.Time{}
	}
	deadline := r.GetDateTime("resolve_due_at").Time()
	if r.GetString("status") == "new" {
		deadline = r.GetDateTime("ack_due_at").Time()
	}
	if r.GetDateTime("resolve_due_at").IsZero() && r.GetDateTime("ack_due_at").IsZero() {
		return time.Time{}
	}
	if last := r.GetDateTime("escalated_at"); r.GetInt("escalation_level") > 0 && !last.IsZero() {
		if wait := t.Calendar.Deadline(last.Time(), t.EscalationWait); wait.After(deadline) {
			return wait
		}
	}
	return deadline
}

// prepareComplaintAction checks what each action needs and sets its fields.
func (p *Portal) prepareComplaintAction(tx core.App, r *core.Record, c *change, in actionInput) error {
	now := p.now().UTC()
	lang := c.Actor.Lang
	switch c.Action {
	case "acknowledge":
		r.Set("acknowledged_at", now)
	case "start":
		if r.GetString("acknowledged_at") == "" {
			r.Set("acknowledged_at", now)
		}
	case "resolve":
		r.Set("resolved_at", now)
		r.Set("resolution_note", c.Comment)
	case "close":
		r.Set("closed_at", now)
	case "reject":
		r.Set("reject_reason", c.Comment)
		r.Set("closed_at", now)
	case "mark_duplicate":
		primary, err := findPrimaryReport(tx, r, in.DuplicateOf, lang)
		if err != nil {
			return err
		}
		// merging changes the primary too: its department's staff (or a director) decide
		if !c.Actor.CanWorkOn(primary.GetString("department")) {
			return apiError(http.StatusForbidden, lang.T("complaint.other_department"))
		}
		if st := primary.GetString("status"); !workflow.Complaint().IsOpen(st) && st != "resolved" {
			return validationError("duplicate_of", "closed", lang.T("report.duplicate_closed"))
		}
		r.Set("duplicate_of", primary.Id)
		r.Set("closed_at", now)
		// the duplicate's reporter (and its followers) now follow the primary
		followers := primary.GetStringSlice("followers")
		for _, id := range append(r.GetStringSlice("followers"), r.GetString("reporter")) {
			if id != "" && id != primary.GetString("reporter") && !slices.Contains(followers, id) {
				followers = append(followers, id)
			}
		}
		primary.Set("followers", followers)
		if err := tx.Save(primary); err != nil {
			return err
		}
		ev := event{Action: "duplicate_linked", Public: true, Actor: c.Actor,
			Data: map[string]any{"duplicate": r.Id, "duplicate_reference": r.GetString("reference")}}
		if err := p.appendEvent(tx, p.complaintKind(), primary, ev); err != nil {
			return err
		}
	case "reopen":
		t := p.townSettings(tx)
		if !canReopenAt(r, now, t.ReopenDays) {
			return apiError(http.StatusConflict, lang.T("report.reopen_window", t.ReopenDays))
		}
		r.Set("reopened_at", now)
		r.Set("resolved_at", "")
		r.Set("escalation_level", 0)
		r.Set("escalated_at", "")
		if cat, err := tx.FindRecordById("complaint_categories", r.GetString("category")); err == nil {
			r.Set("resolve_due_at", t.Calendar.Deadline(now, hours(cat.GetFloat("resolve_hours"))))
		}
	}
	return nil
}

// findPrimaryReport finds the report a duplicate points to, by reference
// (SR-2026-00017) or id.
func findPrimaryReport(tx core.App, dup *core.Record, ref string, lang i18n.Lang) (*core.Record, error) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	if ref == "" {
		return nil, validationError("duplicate_of", "required", lang.T("report.duplicate_needs_primary"))
	}
	primary, err := tx.FindFirstRecordByFilter("complaints", "reference = {:ref}", dbx.Params{"ref": ref})
	if err != nil {
		primary, err = tx.FindRecordById("complaints", strings.ToLower(ref))
	}
	if err != nil {
		return nil, validationError("duplicate_of", "unknown", lang.T("report.duplicate_unknown", ref))
	}
	if primary.Id == dup.Id || primary.GetString("status") == "duplicate" {
		return nil, validationError("duplicate_of", "invalid", lang.T("report.duplicate_invalid"))
	}
	return primary, nil
}

// canReopen reports whether a resolved report may still be reopened now.
func (p *Portal) canReopen(r *core.Record) bool {
	return canReopenAt(r, p.now(), p.townSettings(p.app).ReopenDays)
}

// canReopenAt reports whether a resolved report may be reopened at now,
// reopenDays after its resolution.
func canReopenAt(r *core.Record, now time.Time, reopenDays int) bool {
	if r.GetString("status") != "resolved" {
		return false
	}
	resolved := r.GetDateTime("resolved_at")
	if resolved.IsZero() {
		return true
	}
	return !now.After(resolved.Time().AddDate(0, 0, reopenDays))
}

// CloseResolvedReports closes resolved reports whose reopen window has passed.
func (p *Portal) CloseResolvedReports() (int, error) {
	t := p.townSettings(p.app)
	cutoff, _ := types.ParseDateTime(p.now().UTC().AddDate(0, 0, -t.ReopenDays))
	var ids []string
	err := p.app.DB().Select("id").From("complaints").
		Where(dbx.HashExp{"status": "resolved"}).
		AndWhere(dbx.NewExp("resolved_at != '' AND resolved_at < {:cutoff}", dbx.Params{"cutoff": cutoff.String()})).
		Column(&ids)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, id := range ids {
		if _, err := p.Transition(p.complaintKind(), id, "close", SystemActor(), actionInput{}); err != nil {
			p.app.Logger().Error("closing a resolved report failed", "complaint", id, "error", err)
			continue
		}
		done++
	}
	return done, nil
}

// reporterOf is who filed report r: the resident, the staff member who took
// it at the counter or on the phone, or the system (another channel).
func reporterOf(tx core.App, r *core.Record) Actor {
	if s, err := tx.FindRecordById("staff", r.GetString("created_by")); err == nil {
		return StaffActor(s)
	}
	if u, err := tx.FindRecordById("users", r.GetString("reporter")); err == nil {
		return ResidentActor(u)
	}
	return SystemActor()
}
