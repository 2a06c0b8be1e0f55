package insights

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/townhall-portal/townhall/internal/sla"
)

// The fixture: Pine-like county, Mon–Fri 08:00–17:00 in Chicago, closed on
// Thanksgiving (Thu 26 Nov 2026); clocks go back on Sun 1 Nov 2026 at 02:00.
// The period is November 2026; the figures below are worked out by hand in
// the comments next to each request.
var chicago = func() *time.Location {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		panic(err)
	}
	return loc
}()

func ct(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, chicago)
}

func ev(action, from, to string, at time.Time) Event {
	return Event{Action: action, From: from, To: to, At: at}
}

func esc(level int, at time.Time) Event { return Event{Action: "escalated", Level: level, At: at} }

type fixtureRow struct {
	r      Request
	events []Event
}

func fixture() []fixtureRow {
	const (
		D1, D2       = "dept1", "dept2"
		catP, catL   = "potholes", "lights"
		typeA, typeB = "fence", "sign"
	)
	nov, oct, dec := time.November, time.October, time.December
	return []fixtureRow{
		// R1: filed Friday 16:00 CDT before the clocks change, acknowledged
		// Monday 09:00 CST: 1 h Friday + 1 h Monday = 2 business hours.
		// Resolved Wednesday 12:00: 1 + 9 + 9 + 4 = 23 h, before Friday's
		// deadline. Rated 5 in November. Received in October.
		{Request{ID: "R1", Kind: Report, Department: D1, Service: catP, Channel: Online, Status: "closed",
			Created: ct(2026, oct, 30, 16, 0), AckDue: ct(2026, nov, 2, 15, 0), ResolveDue: ct(2026, nov, 6, 11, 0),
			Rating: 5, RatedAt: ct(2026, nov, 5, 10, 0)},
			[]Event{ev("acknowledge", "new", "acknowledged", ct(2026, nov, 2, 9, 0)),
				ev("resolve", "acknowledged", "resolved", ct(2026, nov, 4, 12, 0)),
				ev("close", "resolved", "closed", ct(2026, nov, 20, 8, 0))}},
		// R2: by phone, filed the day before Thanksgiving at 15:00, work
		// started Friday 10:00: 2 h Wednesday + 0 (holiday) + 2 h Friday = 4 h,
		// an hour after its 09:00 deadline (late; escalated at 09:00).
		// Resolved Monday 30th 10:00, reopened 14:00, resolved again on 1
		// December: in November it was resolved (and reopened) but not closed.
		{Request{ID: "R2", Kind: Report, Department: D1, Service: catP, Channel: Phone, Status: "resolved",
			Created: ct(2026, nov, 25, 15, 0), AckDue: ct(2026, nov, 27, 9, 0), ResolveDue: ct(2026, dec, 4, 9, 0)},
			[]Event{esc(1, ct(2026, nov, 27, 9, 0)),
				ev("start", "new", "in_progress", ct(2026, nov, 27, 10, 0)),
				ev("resolve", "in_progress", "resolved", ct(2026, nov, 30, 10, 0)),
				ev("reopen", "resolved", "in_progress", ct(2026, nov, 30, 14, 0)),
				ev("resolve", "in_progress", "resolved", ct(2026, dec, 1, 10, 0))}},
		// R3: at the counter; acknowledged after 2 h, then a duplicate.
		{Request{ID: "R3", Kind: Report, Department: D2, Service: catL, Channel: Counter, Status: "duplicate",
			Created: ct(2026, nov, 9, 8, 0), AckDue: ct(2026, nov, 9, 16, 0)},
			[]Event{ev("acknowledge", "new", "acknowledged", ct(2026, nov, 9, 10, 0)),
				ev("mark_duplicate", "acknowledged", "duplicate", ct(2026, nov, 9, 11, 0))}},
		// R4: never acknowledged, escalated twice, overdue now.
		{Request{ID: "R4", Kind: Report, Department: D2, Service: catL, Channel: Online, Status: "new", Assignee: "S2",
			Created: ct(2026, nov, 10, 9, 0), AckDue: ct(2026, nov, 10, 17, 0), ResolveDue: ct(2026, nov, 17, 9, 0)},
			[]Event{esc(1, ct(2026, nov, 10, 17, 0)), esc(2, ct(2026, nov, 11, 17, 0))}},
		// R5: acknowledged after 1 h; resolved after 7 h Thursday + 8 h Friday
		// = 15 h, 4 hours late. Rated 2.
		{Request{ID: "R5", Kind: Report, Department: D1, Service: catP, Channel: Online, Status: "resolved",
			Created: ct(2026, nov, 12, 10, 0), AckDue: ct(2026, nov, 13, 9, 0), ResolveDue: ct(2026, nov, 13, 12, 0),
			Rating: 2, RatedAt: ct(2026, nov, 14, 9, 0)},
			[]Event{ev("acknowledge", "new", "acknowledged", ct(2026, nov, 12, 11, 0)),
				ev("resolve", "acknowledged", "resolved", ct(2026, nov, 13, 16, 0))}},
		// R6: filed at 01:30 CDT on the night the clocks go back (in
		// November); acknowledged Monday 08:30 CST = 0.5 h, resolved Monday
		// 17:00 = 9 h. Rated only in December.
		{Request{ID: "R6", Kind: Report, Department: D1, Service: catP, Channel: Online, Status: "closed",
			Created: time.Date(2026, nov, 1, 6, 30, 0, 0, time.UTC), AckDue: ct(2026, nov, 2, 16, 0), ResolveDue: ct(2026, nov, 9, 17, 0),
			Rating: 4, RatedAt: ct(2026, dec, 2, 9, 0)},
			[]Event{ev("acknowledge", "new", "acknowledged", ct(2026, nov, 2, 8, 30)),
				ev("resolve", "acknowledged", "resolved", ct(2026, nov, 2, 17, 0)),
				ev("close", "resolved", "closed", ct(2026, nov, 16, 8, 0))}},
		// R7: October: acknowledged after 1 h, resolved after 9 + 9 + 9 + 4 = 31 h.
		{Request{ID: "R7", Kind: Report, Department: D1, Service: catP, Channel: Online, Status: "resolved",
			Created: ct(2026, oct, 5, 8, 0), AckDue: ct(2026, oct, 5, 16, 0), ResolveDue: ct(2026, oct, 9, 17, 0)},
			[]Event{ev("acknowledge", "new", "acknowledged", ct(2026, oct, 5, 9, 0)),
				ev("resolve", "acknowledged", "resolved", ct(2026, oct, 8, 12, 0))}},
		// R8: November 2025: resolved after 9 + 9 = 18 h.
		{Request{ID: "R8", Kind: Report, Department: D1, Service: catP, Channel: Online, Status: "resolved",
			Created: ct(2025, nov, 3, 8, 0), AckDue: ct(2025, nov, 3, 16, 0), ResolveDue: ct(2025, nov, 7, 17, 0)},
			[]Event{ev("acknowledge", "new", "acknowledged", ct(2025, nov, 3, 8, 30)),
				ev("resolve", "acknowledged", "resolved", ct(2025, nov, 4, 17, 0))}},
		// R9: October, acknowledged, still open and overdue.
		{Request{ID: "R9", Kind: Report, Department: D1, Service: catP, Channel: Online, Status: "acknowledged", Assignee: "S1",
			Created: ct(2026, oct, 19, 8, 0), AckDue: ct(2026, oct, 19, 16, 0), ResolveDue: ct(2026, oct, 26, 8, 0)},
			[]Event{ev("acknowledge", "new", "acknowledged", ct(2026, oct, 19, 9, 0))}},

		// P1: the changes-requested loop. With the county 3 Nov 09:00 → 5 Nov
		// 09:00 (2 days) and 9 Nov 09:00 → 12 Nov 09:00 (3 days) = 5 days;
		// with the applicant 5 → 9 Nov = 4 days; decided after 9 days,
		// within the 10-day turnaround. Issued. Rated 4.
		{Request{ID: "P1", Kind: Permit, Department: D1, Service: typeA, Channel: Online, Status: "issued", TurnaroundDays: 10,
			Created: ct(2026, nov, 2, 10, 0), Rating: 4, RatedAt: ct(2026, nov, 20, 9, 0)},
			[]Event{ev("submit", "draft", "submitted", ct(2026, nov, 3, 9, 0)),
				ev("start_review", "submitted", "in_review", ct(2026, nov, 4, 9, 0)),
				ev("request_changes", "in_review", "changes_requested", ct(2026, nov, 5, 9, 0)),
				ev("submit", "changes_requested", "submitted", ct(2026, nov, 9, 9, 0)),
				ev("start_review", "submitted", "in_review", ct(2026, nov, 10, 9, 0)),
				ev("approve", "in_review", "approved", ct(2026, nov, 12, 9, 0)),
				ev("issue", "approved", "issued", ct(2026, nov, 13, 10, 0))}},
		// P2: filed at the counter; submitted Friday 12:00 CDT, denied Monday
		// 12:00 CST: 73 real hours across the clock change = 3.04 days.
		// Rated 1.
		{Request{ID: "P2", Kind: Permit, Department: D1, Service: typeA, Channel: Counter, Status: "denied", TurnaroundDays: 10,
			Created: ct(2026, oct, 29, 10, 0), Rating: 1, RatedAt: ct(2026, nov, 3, 9, 0)},
			[]Event{ev("submit", "draft", "submitted", ct(2026, oct, 30, 12, 0)),
				ev("deny", "submitted", "denied", ct(2026, nov, 2, 12, 0))}},
		// P3: sent back for changes, still with the applicant.
		{Request{ID: "P3", Kind: Permit, Department: D2, Service: typeB, Channel: Online, Status: "changes_requested",
			Created: ct(2026, nov, 16, 9, 0)},
			[]Event{ev("submit", "draft", "submitted", ct(2026, nov, 17, 9, 0)),
				ev("start_review", "submitted", "in_review", ct(2026, nov, 18, 9, 0)),
				ev("request_changes", "in_review", "changes_requested", ct(2026, nov, 19, 9, 0))}},
		// P4: a draft untouched since 5 Nov (35 days before now), stopped at the documents.
		{Request{ID: "P4", Kind: Permit, Department: D1, Service: typeA, Channel: Online, Status: "draft", DraftStep: "documents",
			Created: ct(2026, nov, 2, 8, 0), Updated: ct(2026, nov, 5, 10, 0)}, nil},
		// P5: a draft touched 15 days ago: not abandoned.
		{Request{ID: "P5", Kind: Permit, Department: D2, Service: typeB, Channel: Online, Status: "draft", DraftStep: "answers",
			Created: ct(2026, nov, 20, 10, 0), Updated: ct(2026, nov, 25, 10, 0)}, nil},
		// P6: October: 10 days with the county, approved, within turnaround.
		{Request{ID: "P6", Kind: Permit, Department: D1, Service: typeA, Channel: Online, Status: "issued", TurnaroundDays: 10,
			Created: ct(2026, oct, 1, 9, 0)},
			[]Event{ev("submit", "draft", "submitted", ct(2026, oct, 5, 9, 0)),
				ev("approve", "submitted", "approved", ct(2026, oct, 15, 9, 0)),
				ev("issue", "approved", "issued", ct(2026, oct, 16, 9, 0))}},
		// P7: in review.
		{Request{ID: "P7", Kind: Permit, Department: D2, Service: typeB, Channel: Online, Status: "in_review", Assignee: "S3",
			Created: ct(2026, nov, 23, 9, 0)},
			[]Event{ev("submit", "draft", "submitted", ct(2026, nov, 24, 9, 0)),
				ev("start_review", "submitted", "in_review", ct(2026, nov, 25, 9, 0))}},
	}
}

func fixtureFacts(t *testing.T) []Fact {
	cal, err := sla.NewCalendar("America/Chicago", []string{"mon", "tue", "wed", "thu", "fri"}, "08:00", "17:00", []string{"2026-11-26"})
	if err != nil {
		t.Fatal(err)
	}
	var facts []Fact
	for _, row := range fixture() {
		f := Derive(row.r, row.events, cal)
		// every fact survives the roll-up table
		back, err := DecodeFact(f.Encode())
		if err != nil || !reflect.DeepEqual(back, f) {
			t.Fatalf("%s: stored fact differs: %+v\n%+v (%v)", f.ID, back, f, err)
		}
		facts = append(facts, back)
	}
	return facts
}

var fixtureNow = ct(2026, time.December, 10, 12, 0)

func fp(v float64) *float64 { return &v }

func TestFixtureNovember(t *testing.T) {
	facts := fixtureFacts(t)
	p, err := ParsePeriod("month", "2026-11-15", "", chicago, fixtureNow)
	if err != nil {
		t.Fatal(err)
	}
	nov := Window{ct(2026, 11, 1, 0, 0), ct(2026, 12, 1, 0, 0)}
	if p.Current != nov || p.Previous != (Window{ct(2026, 10, 1, 0, 0), ct(2026, 11, 1, 0, 0)}) ||
		p.LastYear != (Window{ct(2025, 11, 1, 0, 0), ct(2025, 12, 1, 0, 0)}) {
		t.Fatalf("period %+v", p)
	}
	got := Compute(facts, Scope{}, nov, fixtureNow)
	want := Figures{
		Window: nov,
		Volume: Volume{
			// received: R2–R6 (R6 at 01:30 on the 1st), P1, P3, P7 (first submission)
			Received: 8, Closed: 6, OpenAtEnd: 5,
			// closed and still closed at the end: R1, R3, R5, R6, P1 (approved), P2 (denied);
			// open at the end: R2 (reopened), R4, R9, P3, P7
			Reports:     Count{Received: 5, Closed: 4, OpenAtEnd: 3},
			Permits:     Count{Received: 3, Closed: 2, OpenAtEnd: 2},
			ByChannel:   []ChannelCount{{Online, 6, fp(75)}, {Counter, 1, fp(12.5)}, {Phone, 1, fp(12.5)}},
			OnlineShare: fp(75),
		},
		Response: Response{
			// acknowledged in November: R6 0.5, R5 1, R1 2, R3 2, R2 4
			Acknowledge: Stat{N: 5, Median: fp(2), P90: fp(4)},
			// resolutions that stand: R6 9, R5 15, R1 23 (R2's November one was reopened)
			Resolve:   Stat{N: 3, Median: fp(15), P90: fp(23)},
			AckOnTime: fp(80), AckCounted: 5, // R2 was late
			ResolveOnTime: fp(66.7), ResolveCounted: 3, // R5 was late
			OverdueNow:      2, // R4 (acknowledgement), R9 (resolution)
			EscalationLevel: [3]int{2, 1, 0},
		},
		Permits: Permits{
			// decided in November: P1 (approved; county 5, applicant 4, total 9
			// days) and P2 (denied; 3.04 days, 0, 3.04)
			All: PermitTimes{Type: "", Decided: 2, Approved: 1,
				County: Stat{2, fp(4), fp(5)}, Applicant: Stat{2, fp(2), fp(4)}, Total: Stat{2, fp(6), fp(9)},
				ApprovalRate: fp(50), WithinTurnaround: fp(100), TurnaroundCounted: 2},
			ByType: []PermitTimes{{Type: "fence", Decided: 2, Approved: 1,
				County: Stat{2, fp(4), fp(5)}, Applicant: Stat{2, fp(2), fp(4)}, Total: Stat{2, fp(6), fp(9)},
				ApprovalRate: fp(50), WithinTurnaround: fp(100), TurnaroundCounted: 2}},
		},
		Satisfaction: Satisfaction{
			// rated in November: R1 5, R5 2, P1 4, P2 1
			Ratings: 4, Average: fp(3), Distribution: [5]int{1, 1, 0, 1, 1}, Top2: fp(50),
			// of the 6 closed, all but R3 are rated (R6 in December)
			ClosedRated: 5, Closed: 6, ResponseRate: fp(83.3),
		},
		Funnel: []Funnel{
			// started in November: P1, P4 (fence), P3, P5, P7 (sign)
			{Type: "", Started: 5, Submitted: 3, Decided: 1, Issued: 1, Abandoned: 1, StoppedAt: map[string]int{"documents": 1}},
			{Type: "fence", Started: 2, Submitted: 1, Decided: 1, Issued: 1, Abandoned: 1, StoppedAt: map[string]int{"documents": 1}},
			{Type: "sign", Started: 3, Submitted: 2, Decided: 0, Issued: 0, Abandoned: 0, StoppedAt: map[string]int{}},
		},
		Quality: Quality{
			// first resolved in November: R1, R2, R5, R6; R2 was reopened
			Resolved: 4, Reopened: 1, ReopenRate: fp(25),
			Reports: 5, Duplicates: 1, DuplicateRate: fp(20),
			// submitted in November: P1 (changes), P3 (changes), P7
			ChangesRequested: []ChangesShare{{"", 3, 2, fp(66.7)}, {"fence", 1, 1, fp(100)}, {"sign", 2, 1, fp(50)}},
		},
	}
	assertJSON(t, "November", got, want)

	// only department 2, only problem reports of lights, only the phone
	d2 := Compute(facts, Scope{Department: "dept2"}, nov, fixtureNow)
	if d2.Volume.Received != 4 || d2.Volume.OpenAtEnd != 3 || d2.Response.OverdueNow != 1 || d2.Satisfaction.Ratings != 0 {
		t.Errorf("department 2: %+v", d2.Volume)
	}
	lights := Compute(facts, Scope{Category: "lights"}, nov, fixtureNow)
	if lights.Volume.Received != 2 || lights.Volume.Permits.Received != 0 || *lights.Quality.DuplicateRate != 50 {
		t.Errorf("lights: %+v", lights.Volume)
	}
	phone := Compute(facts, Scope{Channel: Phone}, nov, fixtureNow)
	if phone.Volume.Received != 1 || phone.Response.EscalationLevel != [3]int{1, 0, 0} || *phone.Quality.ReopenRate != 100 {
		t.Errorf("phone: %+v %+v", phone.Volume, phone.Response)
	}
}

func TestFixtureTrendsWorkloadTargets(t *testing.T) {
	facts := fixtureFacts(t)
	p, err := ParsePeriod("month", "2026-11", "", chicago, fixtureNow)
	if err != nil {
		t.Fatal(err)
	}
	in := Build(facts, Scope{}, p, fixtureNow)
	// October: R1, R7, R9, P2, P6 received (4 online); R7 resolved in 31 h
	// November 2025: R8 alone, resolved in 18 h
	sentences := map[string][2]string{
		"resolve_median": {"Median time to resolve fell 52 % (from 31 to 15 business hours).",
			"Median time to resolve fell 17 % (from 18 to 15 business hours)."},
		"received": {"Requests received rose 60 % (from 5 to 8).", "Requests received rose 700 % (from 1 to 8)."},
		"online_share": {"Share of requests made online fell 6 % (from 80 % to 75 %).",
			"Share of requests made online fell 25 % (from 100 % to 75 %)."},
		"satisfaction": {"Average satisfaction: 3 of 5; no figure for the previous period.",
			"Average satisfaction: 3 of 5; no figure for the same period last year."},
		"ack_median": {"Median time to acknowledge rose 100 % (from 1 to 2 business hours).",
			"Median time to acknowledge rose 300 % (from 0.5 to 2 business hours)."},
		"escalations": {"Escalations rose from 0 to 3.", "Escalations rose from 0 to 3."},
		"county_median": {"Median county time on a permit fell 60 % (from 10 to 4 days).",
			"Median county time on a permit: 4 days; no figure for the same period last year."},
	}
	seen := 0
	for _, tr := range in.Trends {
		want, ok := sentences[tr.Key]
		if !ok {
			continue
		}
		seen++
		for i, c := range tr.Changes {
			if c.Sentence != want[i] {
				t.Errorf("%s against %s:\n got  %q\n want %q", tr.Key, c.Against, c.Sentence, want[i])
			}
		}
	}
	if seen != len(sentences) {
		t.Errorf("%d of %d trends found", seen, len(sentences))
	}
	rm := in.Trends[6] // resolve_median
	if rm.Key != "resolve_median" || *rm.Changes[0].Percent != -52 || rm.Changes[0].Arrow != "down" || !*rm.Changes[0].Better {
		t.Errorf("resolve median trend %+v", rm.Changes[0])
	}

	// open work now, the longest waiting first
	at := func(tm time.Time) time.Time { return tm.UTC() }
	assertJSON(t, "by assignee", in.Workload.ByAssignee, []Load{
		{ID: "S1", Open: 1, Overdue: 1, OldestAt: at(ct(2026, 10, 19, 8, 0))},
		{ID: "S2", Open: 1, Overdue: 1, OldestAt: at(ct(2026, 11, 10, 9, 0))},
		{ID: "", Open: 1, Overdue: 0, OldestAt: at(ct(2026, 11, 17, 9, 0))},
		{ID: "S3", Open: 1, Overdue: 0, OldestAt: at(ct(2026, 11, 24, 9, 0))},
	})
	assertJSON(t, "by department", in.Workload.ByDepartment, []Load{
		{ID: "dept1", Open: 1, Overdue: 1, OldestAt: at(ct(2026, 10, 19, 8, 0))},
		{ID: "dept2", Open: 3, Overdue: 1, OldestAt: at(ct(2026, 11, 10, 9, 0))},
	})

	// targets
	sat := Target{Metric: "satisfaction", Value: fp(4.3)}
	pr := sat.Measure(facts, p.Current, fixtureNow, chicago)
	if pr.Met || !pr.AtRisk || *pr.Current != 3 || pr.Sentence != "Average satisfaction is 3 of 5; the target is at least 4.3 of 5: not met yet." {
		t.Errorf("satisfaction target: %+v", pr)
	}
	// department 1 resolved R1 and R6 on time, R5 late: 66.7 %
	onTime := Target{Metric: "resolve_on_time", Scope: Scope{Department: "dept1"}, Value: fp(60)}
	pr = onTime.Measure(facts, p.Current, fixtureNow, chicago)
	if !pr.Met || pr.AtRisk || *pr.Current != 66.7 {
		t.Errorf("on-time target: %+v", pr)
	}
	// −20 % against 2025 (R8: 18 h): goal 14.4 h; 15 h is 3 of the 3.6 h to go: 83 %
	faster := Target{Metric: "resolve_median", ChangePercent: fp(-20), BaselineYear: 2025}
	if err := faster.Check(); err != nil {
		t.Fatal(err)
	}
	pr = faster.Measure(facts, p.Current, fixtureNow, chicago)
	if pr.Met || *pr.Baseline != 18 || *pr.Goal != 14.4 || *pr.Progress != 83 ||
		pr.Sentence != "Median time to resolve is 15 business hours; the target is at most 14.4 business hours: not met yet." {
		t.Errorf("relative target: %+v", pr)
	}
}

func TestTargetCheck(t *testing.T) {
	for _, c := range []struct {
		t  Target
		ok bool
	}{
		{Target{Metric: "satisfaction", Value: fp(4)}, true},
		{Target{Metric: "nope", Value: fp(4)}, false},
		{Target{Metric: "approval_rate", Value: fp(80)}, false}, // neither direction is better: say which
		{Target{Metric: "approval_rate", Comparison: AtLeast, Value: fp(80)}, true},
		{Target{Metric: "satisfaction"}, false},
		{Target{Metric: "satisfaction", Value: fp(4), ChangePercent: fp(5), BaselineYear: 2025}, false},
		{Target{Metric: "satisfaction", ChangePercent: fp(5)}, false},
	} {
		if err := c.t.Check(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.t, err)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		kind, from, to string
		want           Window
		prev           Window
		err            bool
	}{
		{"quarter", "2026-11-15", "", Window{ct(2026, 10, 1, 0, 0), ct(2027, 1, 1, 0, 0)}, Window{ct(2026, 7, 1, 0, 0), ct(2026, 10, 1, 0, 0)}, false},
		{"year", "2026-03-01", "", Window{ct(2026, 1, 1, 0, 0), ct(2027, 1, 1, 0, 0)}, Window{ct(2025, 1, 1, 0, 0), ct(2026, 1, 1, 0, 0)}, false},
		{"custom", "2026-11-01", "2026-11-10", Window{ct(2026, 11, 1, 0, 0), ct(2026, 11, 11, 0, 0)}, Window{ct(2026, 10, 22, 0, 0), ct(2026, 11, 1, 0, 0)}, false},
		{"", "", "", Window{ct(2026, 12, 1, 0, 0), ct(2027, 1, 1, 0, 0)}, Window{ct(2026, 11, 1, 0, 0), ct(2026, 12, 1, 0, 0)}, false},
		{"custom", "2026-11-01", "", Window{}, Window{}, true},
		{"custom", "2026-11-10", "2026-11-01", Window{}, Window{}, true},
		{"custom", "2020-01-01", "2026-01-01", Window{}, Window{}, true},
		{"week", "", "", Window{}, Window{}, true},
		{"month", "11/2026", "", Window{}, Window{}, true},
	} {
		p, err := ParsePeriod(c.kind, c.from, c.to, chicago, fixtureNow)
		if (err != nil) != c.err {
			t.Errorf("%+v: %v", c, err)
			continue
		}
		if err == nil && (p.Current != c.want || p.Previous != c.prev) {
			t.Errorf("%+v: got %+v", c, p)
		}
	}
}

func TestDecodeRefusesDamage(t *testing.T) {
	f := fixtureFacts(t)[0]
	b := f.Encode()
	for _, bad := range [][]byte{nil, {9}, b[:len(b)/2]} {
		if _, err := DecodeFact(bad); err == nil {
			t.Errorf("%v decoded", bad)
		}
	}
}

func assertJSON(t *testing.T, name string, got, want any) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if string(g) != string(w) {
		t.Errorf("%s:\n got  %s\n want %s", name, g, w)
	}
}
