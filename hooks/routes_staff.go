package hooks

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/townhall-portal/townhall/internal/workflow"
)

// The staff work queue: one list of the permit applications and problem
// reports a staff member may work on, merged, filtered and sorted by urgency.
//
//	GET /api/townhall/staff/queue
//
// Staff only: anonymous callers get a 401, residents a 403. Staff see their
// own department's work; directors and administrators (superusers) see every
// department. Parameters (all optional; a bad value is a 400 naming it):
//
//	kind        permit | complaint (default both)
//	type        a permit type id or code: permits of that type; alone, it
//	            leaves reports out (with category, each filters its kind)
//	category    a problem category id or code: likewise for reports
//	status      a state or a comma list (default the open ones: permits
//	            submitted, in_review, changes_requested, approved; reports
//	            new, acknowledged, in_progress); all: any state. A kind none
//	            of whose states is listed is left out.
//	assignee    a staff id, me, or none (unassigned)
//	overdue     1: only requests whose pending deadline has passed (0: no filter)
//	escalated   1: only reports escalated at least once (permits never are)
//	department  a department id; directors and administrators only: staff
//	            may name their own department, another one is a 403
//	q           text found in the reference (permit number) or address,
//	            case-insensitive; % and _ match themselves
//	sort        deadline (default: soonest first, those without one last,
//	            then oldest first), created, -created
//	page, perPage  1…, 1…100 (default 1, 30)
//
// The pending deadline is the one the department must meet now: a permit's
// review_due_at while it is submitted or in review; a report's ack_due_at
// while new, resolve_due_at while acknowledged or in progress. Other states
// have none (the resident or nobody has to act), so they are never overdue.
//
// Answer: {"page", "perPage", "totalItems", "items"}, each item a queueRow.

// registerStaffRoutes adds the staff console's API under /api/townhall/staff.
func (p *Portal) registerStaffRoutes() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallStaffRoutes",
		Func: func(se *core.ServeEvent) error {
			se.Router.GET("/api/townhall/staff/queue", p.handleStaffQueue)
			return se.Next()
		},
	})
}

// The states in which work waits for the department (the default filter):
// the lifecycles' open states.
var (
	queuePermitOpen    = workflow.Permit().Open
	queueComplaintOpen = workflow.Complaint().Open
)

const (
	queueMaxPerPage = 100
	queueMaxQuery   = 100 // characters of q
)

// queueFilter is a parsed, validated queue request.
type queueFilter struct {
	permits, complaints bool     // which kinds are listed
	permitStatus        []string // nil: any state
	complaintStatus     []string // nil: any state
	permitType          string   // a permit type id
	category            string   // a complaint category id
	department          string   // "": every department
	assigneeSet         bool     // filter on assignee:
	assignee            string   // a staff id, or "" for nobody
	overdue, escalated  bool
	q                   string
	sort                string // deadline, created, -created
	page, perPage       int
}

// queueRow is one line of the queue. Reference is a report's reference or
// an issued permit's number ("" before issue); Title is the permit type or
// category name and the address; Deadline is the pending deadline ("" if
// none); Applicant is the resident's name, or the name staff recorded for a
// caller or walk-in applicant.
type queueRow struct {
	Kind            string `db:"kind" json:"kind"`
	ID              string `db:"id" json:"id"`
	Reference       string `db:"reference" json:"reference"`
	Title           string `db:"-" json:"title"`
	Status          string `db:"status" json:"status"`
	Department      string `db:"department" json:"department"`
	DepartmentName  string `db:"department_name" json:"department_name"`
	Assignee        string `db:"assignee" json:"assignee"`
	AssigneeName    string `db:"assignee_name" json:"assignee_name"`
	Created         string `db:"created" json:"created"`
	Deadline        string `db:"deadline" json:"deadline"`
	Overdue         bool   `db:"overdue" json:"overdue"`
	EscalationLevel int    `db:"escalation_level" json:"escalation_level"`
	Applicant       string `db:"applicant" json:"applicant"`
	// Lat and Lon are a report's map point (none for permits and reports without one)
	Lat *float64 `db:"-" json:"lat,omitempty"`
	Lon *float64 `db:"-" json:"lon,omitempty"`

	ServiceName string `db:"service_name" json:"-"`
	Place       string `db:"place" json:"-"`
	Location    string `db:"location" json:"-"`
}

// handleStaffQueue answers the staff work queue.
func (p *Portal) handleStaffQueue(e *core.RequestEvent) error {
	actor, err := actorOf(e)
	if err != nil {
		return err
	}
	if actor.Kind != workflow.Staff || (actor.Staff == nil && actor.Superuser == nil) {
		return apiError(http.StatusForbidden, actor.Lang.T("staff_only"))
	}
	f, err := p.parseQueueFilter(e.Request.URL.Query(), actor)
	if err != nil {
		return err
	}
	total, rows, err := p.queue(f)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{"page": f.page, "perPage": f.perPage, "totalItems": total, "items": rows})
}

// parseQueueFilter reads and checks the query parameters; a bad value is a
// 400 naming the parameter.
func (p *Portal) parseQueueFilter(q url.Values, actor Actor) (queueFilter, error) {
	f := queueFilter{permits: true, complaints: true, sort: "deadline", page: 1, perPage: 30}

	switch k := strings.TrimSpace(q.Get("kind")); k {
	case "":
	case "permit":
		f.complaints = false
	case "complaint":
		f.permits = false
	default:
		return f, refusal(fmt.Sprintf("Invalid kind: use permit or complaint, not %q.", k))
	}

	if v := strings.TrimSpace(q.Get("type")); v != "" {
		if !f.permits {
			return f, refusal("Invalid type: it filters permit applications and can't be used with kind=complaint.")
		}
		id, err := p.catalogueID("permit_types", v, strings.ToUpper(v))
		if err != nil {
			return f, refusal(fmt.Sprintf("Invalid type: there is no permit type %q.", v))
		}
		f.permitType = id
	}
	if v := strings.TrimSpace(q.Get("category")); v != "" {
		if !f.complaints {
			return f, refusal("Invalid category: it filters problem reports and can't be used with kind=permit.")
		}
		id, err := p.catalogueID("complaint_categories", v, strings.ToLower(v))
		if err != nil {
			return f, refusal(fmt.Sprintf("Invalid category: there is no problem category %q.", v))
		}
		f.category = id
	}
	// a type alone narrows the list to permits, a category alone to reports
	if f.permitType != "" && f.category == "" {
		f.complaints = false
	}
	if f.category != "" && f.permitType == "" {
		f.permits = false
	}

	f.permitStatus, f.complaintStatus = queuePermitOpen, queueComplaintOpen
	if v := strings.TrimSpace(q.Get("status")); v == "all" {
		f.permitStatus, f.complaintStatus = nil, nil
	} else if v != "" {
		f.permitStatus, f.complaintStatus = []string{}, []string{}
		permitStates, complaintStates := workflow.Permit().States, workflow.Complaint().States
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			known := false
			if f.permits && slices.Contains(permitStates, s) {
				f.permitStatus, known = appendOnce(f.permitStatus, s), true
			}
			if f.complaints && slices.Contains(complaintStates, s) {
				f.complaintStatus, known = appendOnce(f.complaintStatus, s), true
			}
			if !known {
				return f, refusal(fmt.Sprintf("Invalid status: %q is not a state of %s.", s, kindNoun(f)))
			}
		}
		if len(f.permitStatus)+len(f.complaintStatus) == 0 {
			return f, refusal("Invalid status: name at least one state, or all.")
		}
		// a kind none of whose states was asked for is left out
		f.permits = f.permits && len(f.permitStatus) > 0
		f.complaints = f.complaints && len(f.complaintStatus) > 0
	}

	switch v := strings.TrimSpace(q.Get("assignee")); v {
	case "":
	case "none":
		f.assigneeSet = true
	case "me":
		if actor.Staff == nil {
			return f, refusal("Invalid assignee: me needs a staff account; administrators are never assigned work.")
		}
		f.assignee, f.assigneeSet = actor.Staff.Id, true
	default:
		if _, err := p.app.FindRecordById("staff", v); err != nil {
			return f, refusal(fmt.Sprintf("Invalid assignee: there is no staff member %q (use a staff id, me or none).", v))
		}
		f.assignee, f.assigneeSet = v, true
	}

	var err error
	if f.overdue, err = queueFlag(q, "overdue"); err != nil {
		return f, err
	}
	if f.escalated, err = queueFlag(q, "escalated"); err != nil {
		return f, err
	}
	if f.escalated {
		f.permits = false // only problem reports escalate
	}

	allDepartments := actor.Superuser != nil || actor.Staff.GetString("role") == "director"
	if !allDepartments {
		f.department = actor.Staff.GetString("department")
		if f.department == "" {
			return f, apiError(http.StatusForbidden, "Your staff account belongs to no department: ask the administrator to set it.")
		}
	}
	if v := strings.TrimSpace(q.Get("department")); v != "" {
		if _, err := p.app.FindRecordById("departments", v); err != nil {
			return f, refusal(fmt.Sprintf("Invalid department: there is no department %q.", v))
		}
		if !allDepartments && v != f.department {
			return f, apiError(http.StatusForbidden, "Forbidden department: only directors can see another department's queue.")
		}
		f.department = v
	}

	f.q = strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(f.q) > queueMaxQuery {
		return f, refusal(fmt.Sprintf("Invalid q: search for at most %d characters.", queueMaxQuery))
	}

	switch v := strings.TrimSpace(q.Get("sort")); v {
	case "", "deadline":
	case "created", "-created":
		f.sort = v
	default:
		return f, refusal(fmt.Sprintf("Invalid sort: use deadline, created or -created, not %q.", v))
	}

	if f.page, err = queueInt(q, "page", 1, 1, 1_000_000); err != nil {
		return f, err
	}
	if f.perPage, err = queueInt(q, "perPage", 30, 1, queueMaxPerPage); err != nil {
		return f, err
	}
	return f, nil
}

// catalogueID finds a permit type or complaint category by id or code.
func (p *Portal) catalogueID(collection, id, code string) (string, error) {
	var found string
	err := p.app.DB().Select("id").From(collection).
		Where(dbx.NewExp("id = {:id} OR code = {:code}", dbx.Params{"id": id, "code": code})).
		Limit(1).Row(&found)
	return found, err
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func kindNoun(f queueFilter) string {
	switch {
	case f.permits && f.complaints:
		return "permit applications or problem reports"
	case f.permits:
		return "permit applications"
	}
	return "problem reports"
}

// queueFlag reads a yes/no parameter: 1/true or 0/false (or absent).
func queueFlag(q url.Values, name string) (bool, error) {
	switch v := strings.TrimSpace(q.Get(name)); v {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	default:
		return false, refusal(fmt.Sprintf("Invalid %s: use 1 or 0, not %q.", name, v))
	}
}

// queueInt reads a whole-number parameter within [lo, hi].
func queueInt(q url.Values, name string, def, lo, hi int) (int, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, refusal(fmt.Sprintf("Invalid %s: use a whole number from %d to %d, not %q.", name, lo, hi, v))
	}
	return n, nil
}
