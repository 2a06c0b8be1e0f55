// Package insights computes the citizen services director's figures —
// volume, response times, permit times, satisfaction, completion, quality,
// trends, targets and workload — from plain rows: requests, their history
// events and their ratings. It imports no PocketBase; hooks feed it rows
// and keep one Fact per request in a roll-up table.
//
// The work is in two steps. Derive reads one request and its history once
// (whenever either changes) into a Fact: the moments and durations the
// figures need, business hours already counted on the town's calendar.
// Compute then aggregates Facts for a period and a scope, which is cheap
// enough to do on every request for 100,000 requests.
package insights

import (
	"slices"
	"time"

	"github.com/townhall-portal/townhall/internal/sla"
)

// Kinds of request.
const (
	Report = "report" // a problem report (service request)
	Permit = "permit" // a permit application
)

// Channels a request arrives by. Others (Open311, paper) are counted under
// their own name as they appear.
const (
	Online  = "online"
	Phone   = "phone"
	Counter = "counter" // walk-in at the counter, or filed by staff for an applicant
	Email   = "email"
)

// Request is one request as stored: what Derive needs besides its history.
type Request struct {
	ID         string
	Kind       string // Report or Permit
	Department string
	Service    string // the report's category or the permit's type
	Channel    string
	Assignee   string
	Status     string // the current state
	Created    time.Time
	Updated    time.Time // last change of the record (a draft's last edit)
	AckDue     time.Time // a report's acknowledgement deadline
	ResolveDue time.Time // a report's current resolution deadline
	// TurnaroundDays is the turnaround a permit type promises (0: none).
	TurnaroundDays int
	// DraftStep is where an unsubmitted application stands: "answers"
	// (the form is incomplete), "documents" (documents are missing) or
	// "ready" (it could be submitted).
	DraftStep string
	Rating    int // 1–5, 0 when not rated
	RatedAt   time.Time
}

// Event is one entry of a request's history: a lifecycle action with the
// states it moved between, or an escalation with its level.
type Event struct {
	Action string // submit, acknowledge, resolve, reopen, escalated, …
	From   string
	To     string
	At     time.Time
	Level  int // escalated events: the level reached
}

// Span is an interval of Unix seconds; To is 0 while it lasts.
type Span struct{ From, To int64 }

// Escalation is a level a report reached, and when.
type Escalation struct {
	Level int
	At    int64
}

// Fact is what the figures need of one request. Times are Unix seconds (0:
// never), durations seconds.
type Fact struct {
	ID, Kind, Department, Service, Channel, Assignee, Status string

	Created  int64
	Updated  int64
	Received int64 // a report's filing; a permit's first submission (0: never submitted)
	// Closed are the spans during which the request was done with: a report
	// resolved, closed, rejected or a duplicate; a permit decided or
	// withdrawn. A reopened report has a closed span with an end.
	Closed []Span

	// problem reports
	AckAt           int64 // first acknowledgement (acknowledge, or work started)
	AckWork         int64 // business seconds from filing to AckAt
	AckDue          int64
	ResolvedAt      int64 // the resolution that stands (0: none, or reopened since)
	ResolveWork     int64 // business seconds from filing to ResolvedAt
	ResolveDue      int64
	FirstResolvedAt int64
	Reopens         int
	Escalations     []Escalation

	// permit applications
	DecidedAt      int64
	Decision       string // approved or denied
	IssuedAt       int64
	CountyTime     int64 // seconds between first submission and decision with the county
	ApplicantTime  int64 // seconds of that spent with the applicant (changes requested)
	TurnaroundDays int
	Changes        int // how many times changes were requested
	DraftStep      string

	Rating  int
	RatedAt int64
}

// Open states, in which a request waits for the department (the lifecycles' Open).
var (
	reportOpen = []string{"new", "acknowledged", "in_progress"}
	permitOpen = []string{"submitted", "in_review", "changes_requested", "approved"}
	// a permit is done with once decided or withdrawn; approved counts as
	// done for the volume figures although it waits for the issue
	permitDone  = []string{"approved", "denied", "issued", "expired", "withdrawn"}
	reportDone  = []string{"resolved", "closed", "rejected", "duplicate"}
	permitClock = []string{"submitted", "in_review"} // the county's clock runs
)

// IsOpen reports whether the fact's request waits for the department now.
func (f *Fact) IsOpen() bool {
	if f.Kind == Report {
		return slices.Contains(reportOpen, f.Status)
	}
	return slices.Contains(permitOpen, f.Status)
}

// PendingDue is the deadline a report's department must meet now: the
// acknowledgement while new, the resolution while acknowledged or in
// progress; 0 otherwise.
func (f *Fact) PendingDue() int64 {
	if f.Kind != Report {
		return 0
	}
	switch f.Status {
	case "new":
		return f.AckDue
	case "acknowledged", "in_progress":
		return f.ResolveDue
	}
	return 0
}

// LastActivity is the latest moment the fact records: a period that starts
// after it can only see the request as open (if it is open now).
func (f *Fact) LastActivity() int64 {
	last := max(f.Created, f.Updated, f.Received, f.AckAt, f.ResolvedAt, f.FirstResolvedAt, f.DecidedAt, f.IssuedAt, f.RatedAt)
	for _, s := range f.Closed {
		last = max(last, s.From, s.To)
	}
	for _, e := range f.Escalations {
		last = max(last, e.At)
	}
	return last
}

// closedBefore reports whether the request was done with just before t.
func (f *Fact) closedBefore(t int64) bool {
	for _, s := range f.Closed {
		if s.From < t && (s.To == 0 || s.To >= t) {
			return true
		}
	}
	return false
}

// closedIn reports whether the request was closed during [from, to) and
// still was at to.
func (f *Fact) closedIn(from, to int64) bool {
	for _, s := range f.Closed {
		if s.From >= from && s.From < to && (s.To == 0 || s.To >= to) {
			return true
		}
	}
	return false
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// Derive reads one request and its history into a Fact. Events may come in
// any order (they are sorted by time, keeping the given order for equal
// times). Business hours are counted on cal.
func Derive(r Request, events []Event, cal sla.Calendar) Fact {
	f := Fact{
		ID: r.ID, Kind: r.Kind, Department: r.Department, Service: r.Service, Channel: r.Channel,
		Assignee: r.Assignee, Status: r.Status, Created: unix(r.Created), Updated: unix(r.Updated),
		AckDue: unix(r.AckDue), ResolveDue: unix(r.ResolveDue), TurnaroundDays: r.TurnaroundDays,
		DraftStep: r.DraftStep, Rating: r.Rating, RatedAt: unix(r.RatedAt),
	}
	if f.Channel == "" {
		f.Channel = Online
	}
	if r.Rating == 0 {
		f.RatedAt = 0
	}
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })
	if r.Kind == Report {
		deriveReport(&f, r, evs, cal)
	} else {
		derivePermit(&f, evs)
	}
	return f
}

// closeSpan opens or ends the closed span as a request moves between states.
func (f *Fact) closeSpan(wasDone, isDone bool, at int64) {
	switch {
	case !wasDone && isDone:
		f.Closed = append(f.Closed, Span{From: at})
	case wasDone && !isDone && len(f.Closed) > 0:
		f.Closed[len(f.Closed)-1].To = at
	}
}

func deriveReport(f *Fact, r Request, evs []Event, cal sla.Calendar) {
	f.Received = f.Created
	var resolved time.Time
	for _, e := range evs {
		at := e.At.Unix()
		switch e.Action {
		case "escalated":
			if e.Level > 0 {
				f.Escalations = append(f.Escalations, Escalation{Level: e.Level, At: at})
			}
			continue
		case "acknowledge", "start":
			if f.AckAt == 0 && e.From == "new" {
				f.AckAt = at
				f.AckWork = int64(cal.WorkingTime(r.Created, e.At) / time.Second)
			}
		case "resolve":
			resolved = e.At
			if f.FirstResolvedAt == 0 {
				f.FirstResolvedAt = at
			}
		case "reopen":
			resolved = time.Time{}
			f.Reopens++
		}
		if e.From != "" && e.To != "" {
			f.closeSpan(slices.Contains(reportDone, e.From), slices.Contains(reportDone, e.To), at)
		}
	}
	if !resolved.IsZero() {
		f.ResolvedAt = resolved.Unix()
		f.ResolveWork = int64(cal.WorkingTime(r.Created, resolved) / time.Second)
	}
}

func derivePermit(f *Fact, evs []Event) {
	var clockSince int64 // when the current county or applicant interval began
	state := "draft"
	for _, e := range evs {
		if e.From == "" || e.To == "" {
			continue
		}
		at := e.At.Unix()
		if f.Received != 0 && f.DecidedAt == 0 {
			// time since the previous change belongs to whoever had the application
			switch {
			case slices.Contains(permitClock, state):
				f.CountyTime += at - clockSince
			case state == "changes_requested":
				f.ApplicantTime += at - clockSince
			}
		}
		clockSince = at
		switch e.Action {
		case "submit":
			if f.Received == 0 {
				f.Received = at
			}
		case "request_changes":
			f.Changes++
		case "approve", "deny":
			if f.DecidedAt == 0 {
				f.DecidedAt = at
				f.Decision = e.To
			}
		case "issue":
			f.IssuedAt = at
		}
		// only what was received can be done with (a draft withdrawn is not counted)
		if f.Received != 0 {
			f.closeSpan(slices.Contains(permitDone, e.From), slices.Contains(permitDone, e.To), at)
		}
		state = e.To
	}
}
