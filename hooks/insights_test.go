package hooks

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/insights"
)

// The access matrix's targets: one of each department, one county-wide.
const (
	targetX   = "targetx00000001"
	targetY   = "targety00000001"
	targetAll = "targetall000001"
)

func addTargetFixtures(app core.App) error {
	col, err := app.FindCollectionByNameOrId("targets")
	if err != nil {
		return err
	}
	for _, t := range []struct {
		id   string
		data map[string]any
	}{
		{targetX, map[string]any{"metric": "resolve_on_time", "department": deptX, "value": 90}},
		{targetY, map[string]any{"metric": "satisfaction", "department": deptY, "value": 4.3}},
		{targetAll, map[string]any{"metric": "county_median", "change_percent": -20, "baseline_year": 2025}},
	} {
		r := core.NewRecord(col)
		r.Id = t.id
		r.Load(t.data)
		if err := app.Save(r); err != nil {
			return err
		}
	}
	return nil
}

// staffToken signs a staff member in (for roles outside the shared token set).
func staffToken(t testing.TB, e *testEnv, id string) string {
	t.Helper()
	tok, err := e.record(t, "staff", id).NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// getWithToken is a GET with a raw Authorization header.
func (e *testEnv) getWithToken(url, token string) response {
	req := httptest.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	return e.send(req, "")
}

type insightsJSON struct {
	Scope    insights.Scope   `json:"scope"`
	Current  insights.Figures `json:"current"`
	Trends   []insights.Trend `json:"trends"`
	Series   []insights.Month `json:"series"`
	Targets  []insights.Progress
	Names    insights.Names     `json:"names"`
	Comments []insights.Comment `json:"comments"`
}

// TestInsightsAccess: directors see every department, supervisors and
// clerks their own (read only: the endpoints only read), residents and
// anonymous callers nothing — for the figures and for every export.
func TestInsightsAccess(t *testing.T) {
	t.Parallel()
	e := newMatrixEnv(t)
	sup := staffToken(t, e, supX)
	rows := []struct {
		name, token, query string
		status             int
		dept               string // the department the answer is limited to
	}{
		{"anonymous", "", "", 401, ""},
		{"resident", roleTokens[roleResA], "", 403, ""},
		{"other resident", roleTokens[roleResB], "", 403, ""},
		{"unconfirmed resident", roleTokens[roleResU], "", 403, ""},
		{"clerk", roleTokens[roleClerkX], "", 200, deptX},
		{"clerk naming their department", roleTokens[roleClerkX], "&department=DX", 200, deptX},
		{"clerk of another department", roleTokens[roleClerkY], "", 200, deptY},
		{"clerk naming another department", roleTokens[roleClerkX], "&department=" + deptY, 403, ""},
		{"supervisor", sup, "", 200, deptX},
		{"supervisor naming another department", sup, "&department=DY", 403, ""},
		{"director", roleTokens[roleDirector], "", 200, ""},
		{"director, one department", roleTokens[roleDirector], "&department=DY", 200, deptY},
		{"administrator", roleTokens[roleSuperuser], "", 200, ""},
		{"bad period", roleTokens[roleDirector], "&period=week", 400, ""},
		{"bad channel", roleTokens[roleDirector], "&channel=pigeon", 400, ""},
		{"unknown category", roleTokens[roleDirector], "&category=nope", 400, ""},
		{"category and type", roleTokens[roleDirector], "&category=cat-x&type=TX", 400, ""},
	}
	for _, r := range rows {
		for _, path := range []string{"/api/townhall/staff/insights?x=1", "/api/townhall/staff/insights/export?table=volume", "/api/townhall/staff/insights/targets?x=1"} {
			res := e.getWithToken(path+r.query, r.token)
			if res.Status != r.status {
				t.Errorf("%s %s: %d, want %d: %s", r.name, path, res.Status, r.status, res.Body)
				continue
			}
			if r.status != 200 {
				if !strings.Contains(res.Body, `"message"`) || strings.Contains(res.Body, "current") {
					t.Errorf("%s: refusal without a message, or with figures: %s", r.name, res.Body)
				}
				continue
			}
			if strings.Contains(path, "export") {
				continue
			}
			var ans insightsJSON
			res.JSON(t, &ans)
			if !strings.Contains(path, "targets") && ans.Scope.Department != r.dept {
				t.Errorf("%s: scope %q, want %q", r.name, ans.Scope.Department, r.dept)
			}
			// targets of the caller's scope only
			var ids []string
			for _, p := range ans.Targets {
				ids = append(ids, p.Target.ID)
			}
			slices.Sort(ids)
			want := map[string][]string{deptX: {targetAll, targetX}, deptY: {targetAll, targetY}, "": {targetAll, targetX, targetY}}
			visible := r.dept
			if r.name == "director, one department" {
				visible = ""
			}
			if !slices.Equal(ids, want[visible]) {
				t.Errorf("%s: targets %v, want %v", r.name, ids, want[visible])
			}
		}
	}
	// a supervisor reads the targets of their scope through the records API too
	res := e.getWithToken("/api/collections/targets/records", sup)
	if res.Status != 200 || !strings.Contains(res.Body, targetX) || !strings.Contains(res.Body, targetAll) || strings.Contains(res.Body, targetY) {
		t.Errorf("supervisor's targets: %d %s", res.Status, res.Body)
	}
}

// stored is a wall time in Chicago, written as stored.
func stored(y int, m time.Month, d, h, min int) string {
	loc, _ := time.LoadLocation("America/Chicago")
	return time.Date(y, m, d, h, min, 0, 0, loc).UTC().Format("2006-01-02 15:04:05.000Z")
}

// TestInsightsThroughTheRollup: requests written with known times (across
// a weekend, the clock change of 1 November and Thanksgiving) give the
// figures worked out by hand, through the roll-up and the API, per caller;
// the CSV is named for its filters and opens in a spreadsheet.
func TestInsightsThroughTheRollup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	settings := e.record(t, "town_settings", settingsID)
	settings.Set("holidays", []string{"2026-11-26"})
	if err := e.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.app.DB().NewQuery(fmt.Sprintf(q, args...)).Execute(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	nov, oct := time.November, time.October
	// R1: Friday 16:00 CDT → acknowledged Monday 09:00 CST (2 h) → resolved
	// Wednesday 12:00 (23 h), rated 5 with a comment
	exec(`INSERT INTO complaints (id, reference, category, department, status, description, source, created, updated, ack_due_at, resolve_due_at)
		VALUES ('insightr1000001', 'SR-2026-09001', '%s', '%s', 'resolved', 'x', 'web', '%s', '%s', '%s', '%s')`,
		catX, deptX, stored(2026, oct, 30, 16, 0), stored(2026, nov, 4, 12, 0), stored(2026, nov, 2, 15, 0), stored(2026, nov, 6, 11, 0))
	// R2: by phone the day before Thanksgiving 15:00 → work started Friday 10:00 (4 h)
	exec(`INSERT INTO complaints (id, reference, category, department, status, description, source, created, updated, ack_due_at, resolve_due_at)
		VALUES ('insightr2000001', 'SR-2026-09002', '%s', '%s', 'in_progress', 'x', 'phone', '%s', '%s', '%s', '%s')`,
		catY, deptY, stored(2026, nov, 25, 15, 0), stored(2026, nov, 27, 10, 0), stored(2026, nov, 27, 9, 0), stored(2026, dec(), 4, 9, 0))
	// P1: submitted 3 Nov, changes asked 5 Nov, back 9 Nov, approved 12 Nov: 5 days county, 4 applicant
	exec(`INSERT INTO permits (id, permit_type, department, status, data, created, updated)
		VALUES ('insightp1000001', '%s', '%s', 'approved', '{}', '%s', '%s')`, typeX, deptX, stored(2026, nov, 2, 10, 0), stored(2026, nov, 12, 9, 0))
	events := []struct{ parent, id, action, from, to, at string }{
		{"complaint", "insightr1000001", "acknowledge", "new", "acknowledged", stored(2026, nov, 2, 9, 0)},
		{"complaint", "insightr1000001", "resolve", "acknowledged", "resolved", stored(2026, nov, 4, 12, 0)},
		{"complaint", "insightr2000001", "start", "new", "in_progress", stored(2026, nov, 27, 10, 0)},
		{"permit", "insightp1000001", "submit", "draft", "submitted", stored(2026, nov, 3, 9, 0)},
		{"permit", "insightp1000001", "request_changes", "submitted", "changes_requested", stored(2026, nov, 5, 9, 0)},
		{"permit", "insightp1000001", "submit", "changes_requested", "submitted", stored(2026, nov, 9, 9, 0)},
		{"permit", "insightp1000001", "approve", "submitted", "approved", stored(2026, nov, 12, 9, 0)},
	}
	for i, ev := range events {
		exec(`INSERT INTO events (id, %s, department, actor_kind, action, from_status, to_status, public, created, updated)
			VALUES ('insightev%06d', '%s', '', 'staff', '%s', '%s', '%s', 1, '%s', '%s')`, ev.parent, i, ev.id, ev.action, ev.from, ev.to, ev.at, ev.at)
	}
	exec(`INSERT INTO feedback (id, complaint, department, author, rating, comment, created, updated)
		VALUES ('insightfb000001', 'insightr1000001', '%s', '%s', 5, '=Quick fix, thanks', '%s', '%s')`,
		deptX, resA, stored(2026, nov, 5, 10, 0), stored(2026, nov, 5, 10, 0))
	if _, err := e.portal.RebuildInsightFacts(false); err != nil {
		t.Fatal(err)
	}

	get := func(role, query string) insightsJSON {
		t.Helper()
		res := e.do(t, http.MethodGet, "/api/townhall/staff/insights?period=month&from=2026-11-01"+query, nil, role)
		if res.Status != 200 {
			t.Fatalf("%s %s: %d %s", role, query, res.Status, res.Body)
		}
		var ans insightsJSON
		res.JSON(t, &ans)
		return ans
	}
	f := func(v *float64) float64 {
		if v == nil {
			return -1
		}
		return *v
	}
	all := get(roleDirector, "").Current
	// the fixture reports (complaintA new, complaintB resolved) were written
	// past the hooks in 2026 with today's date: they are not in November
	if all.Volume.Received != 2 || all.Volume.Reports.Received != 1 || all.Volume.Permits.Received != 1 {
		t.Errorf("volume %+v", all.Volume)
	}
	if r := all.Response; r.Acknowledge.N != 2 || f(r.Acknowledge.Median) != 3 || f(r.Acknowledge.P90) != 4 ||
		f(r.Resolve.Median) != 23 || f(r.AckOnTime) != 50 || f(r.ResolveOnTime) != 100 {
		t.Errorf("response %+v", r)
	}
	if p := all.Permits.All; p.Decided != 1 || f(p.County.Median) != 5 || f(p.Applicant.Median) != 4 || f(p.WithinTurnaround) != 100 {
		t.Errorf("permits %+v", p)
	}
	if s := all.Satisfaction; s.Ratings != 1 || f(s.Average) != 5 || f(s.ResponseRate) != 50 { // R1 rated, P1 (approved) not
		t.Errorf("satisfaction %+v", s)
	}
	// the monthly series: the 12 months ending with November, November as above
	if ans := get(roleDirector, ""); len(ans.Series) != 12 || ans.Series[0].Month != "2025-12" {
		t.Errorf("series %+v", ans.Series)
	} else if m := ans.Series[11]; m.Month != "2026-11" || m.Received != 2 || f(m.ResolveMedian) != 23 || f(m.ResolveOnTime) != 100 ||
		f(m.Satisfaction) != 5 || f(m.CountyMedian) != 5 || m.Closed != all.Volume.Closed {
		t.Errorf("November in the series %+v", m)
	}
	clerk := get(roleClerkY, "")
	if m := clerk.Series[11]; m.Received != 1 || m.Ratings != 0 {
		t.Errorf("clerk Y's November in the series %+v", m)
	}
	if c := clerk.Current; c.Volume.Received != 1 || f(c.Response.Acknowledge.Median) != 4 || c.Satisfaction.Ratings != 0 || len(clerk.Comments) != 0 {
		t.Errorf("clerk Y sees %+v %+v", c.Volume, c.Response)
	}
	dir := get(roleDirector, "&q=quick")
	if len(dir.Comments) != 1 || dir.Comments[0].Rating != 5 || dir.Names.Departments[deptX] != "Department X" {
		t.Errorf("comments %+v", dir.Comments)
	}
	if n := len(get(roleDirector, "&q=nothing").Comments); n != 0 {
		t.Errorf("%d comments match nothing", n)
	}

	// the staff home's targets: none set, nothing to read
	targets := func() (ans struct {
		Targets []insights.Progress `json:"targets"`
	}) {
		t.Helper()
		res := e.do(t, http.MethodGet, "/api/townhall/staff/insights/targets?period=month&from=2026-11-01", nil, roleClerkX)
		if res.Status != 200 {
			t.Fatalf("targets: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &ans)
		return ans
	}
	if got := targets(); got.Targets == nil || len(got.Targets) != 0 {
		t.Errorf("no targets set: %+v", got)
	}
	coll, err := e.app.FindCollectionByNameOrId("targets")
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range []struct {
		metric string
		value  float64
	}{{"satisfaction", 4.5}, {"resolve_median", 10}} {
		rec := core.NewRecord(coll)
		rec.Set("metric", tg.metric)
		rec.Set("value", tg.value)
		if err := e.app.Save(rec); err != nil {
			t.Fatal(err)
		}
	}
	// November: satisfaction 5 (met), median time to resolve 23 h (at risk)
	got := targets().Targets
	risk := map[string]bool{}
	for _, pr := range got {
		risk[pr.Target.Metric] = pr.AtRisk
	}
	if len(got) != 2 || risk["satisfaction"] || !risk["resolve_median"] {
		t.Errorf("targets' progress %+v", got)
	}

	// the export: named for its filters, BOM, ISO dates, formulas defused
	res := e.do(t, http.MethodGet, "/api/townhall/staff/insights/export?table=permits&period=month&from=2026-11-01&type=TX", nil, roleDirector)
	if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), `filename="insights-permits-2026-11-01_2026-11-30-TX.csv"`) ||
		!strings.HasPrefix(res.Body, "\uFEFFpermit type,decided") || !strings.Contains(res.Body, "Type X,1,1,100,5,5,4,4,9,100\r\n") {
		t.Errorf("export: %d %v %q", res.Status, res.Header, res.Body)
	}
	res = e.do(t, http.MethodGet, "/api/townhall/staff/insights/export?table=monthly&period=month&from=2026-11-01", nil, roleDirector)
	if res.Status != 200 || !strings.HasPrefix(res.Body, "\uFEFFmonth,received,closed,") || !strings.Contains(res.Body, "\r\n2026-11,2,") {
		t.Errorf("monthly export: %d %q", res.Status, res.Body)
	}
	res = e.do(t, http.MethodGet, "/api/townhall/staff/insights/export?table=comments&period=month&from=2026-11-01", nil, roleDirector)
	if !strings.Contains(res.Body, `2026-11-05T10:00:00-06:00,5,Department X,Category X,"'=Quick fix, thanks"`) {
		t.Errorf("comments export: %q", res.Body)
	}
	if res := e.do(t, http.MethodGet, "/api/townhall/staff/insights/export?table=nope", nil, roleDirector); res.Status != 400 {
		t.Errorf("unknown table: %d", res.Status)
	}
}

func dec() time.Month { return time.December }

// TestInsightsFollowEveryAction: the roll-up changes in the same
// transaction as the action, the event and the rating.
func TestInsightsFollowEveryAction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := time.Now().Format("2006-01-02")
	ask := func() insights.Figures {
		res := e.do(t, http.MethodGet, "/api/townhall/staff/insights?from="+today, nil, roleDirector)
		if res.Status != 200 {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		var ans insightsJSON
		res.JSON(t, &ans)
		return ans.Current
	}
	// the fixtures' rating of complaint A (4) was filled in at start
	if got := ask(); got.Response.Acknowledge.N != 0 || got.Satisfaction.Ratings != 1 || got.Satisfaction.Distribution[3] != 1 {
		t.Fatalf("before: %+v %+v", got.Response, got.Satisfaction)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/acknowledge", map[string]any{}, roleClerkX); res.Status != 200 {
		t.Fatalf("acknowledge: %d %s", res.Status, res.Body)
	}
	res := e.do(t, http.MethodPost, "/api/collections/feedback/records", map[string]any{"complaint": complaintB, "author": resB, "rating": 4, "comment": "Bien"}, roleResB)
	if res.Status != 200 {
		t.Fatalf("rating: %d %s", res.Status, res.Body)
	}
	got := ask()
	if got.Response.Acknowledge.N != 1 || got.Satisfaction.Ratings != 2 || got.Satisfaction.Distribution[3] != 2 {
		t.Errorf("after: %+v %+v", got.Response, got.Satisfaction)
	}
	// staff answer the comment: the comments list says so
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintB+"/answer_rating", map[string]any{"comment": "Gracias por avisarnos."}, roleClerkY); res.Status != 200 {
		t.Fatalf("answer: %d %s", res.Status, res.Body)
	}
	var withComments insightsJSON
	e.do(t, http.MethodGet, "/api/townhall/staff/insights?from="+today, nil, roleDirector).JSON(t, &withComments)
	if len(withComments.Comments) != 1 || withComments.Comments[0].Answer != "Gracias por avisarnos." || withComments.Comments[0].AnsweredAt == nil {
		t.Errorf("comments after the answer: %+v", withComments.Comments)
	}
	// a target that cannot be measured is refused with a reason
	res = e.do(t, http.MethodPost, "/api/collections/targets/records", map[string]any{"metric": "happiness", "value": 3}, roleDirector)
	if res.Status != 400 || !strings.Contains(res.Body, "no figure") {
		t.Errorf("bad target: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodPost, "/api/collections/targets/records", map[string]any{"metric": "satisfaction", "value": 4.3}, roleDirector)
	if res.Status != 200 || !strings.Contains(res.Body, director) {
		t.Errorf("target: %d %s", res.Status, res.Body)
	}
}

// insertInsightHistory writes reports, applications, their histories and
// ratings straight into the tables (seconds instead of hours through the
// actions): spread evenly over the 24 months before now, three departments,
// ~5 events a request.
func insertInsightHistory(tb testing.TB, app core.App, reports, permits int, now time.Time) (events int) {
	depts := []string{deptX, deptY, deptZ}
	cats := []string{catX, catY, catOff}
	ptypes := []string{typeX, typeY, typeOff}
	staff := []string{clerkX, clerkY, ""}
	sources := []string{"web", "web", "web", "phone", "walk_in", "email"}
	rnd := rand.New(rand.NewPCG(7, 9))
	span := 730 * 24 * time.Hour
	at := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }
	err := app.RunInTransaction(func(tx core.App) error {
		insC := tx.DB().NewQuery(`INSERT INTO complaints (id, reference, category, department, status, description, source, assignee,
			ack_due_at, resolve_due_at, created, updated) VALUES ({:id}, {:ref}, {:cat}, {:dept}, {:status}, 'bench', {:src}, {:assignee},
			{:ack}, {:resolve}, {:created}, {:updated})`).Prepare()
		defer insC.Close()
		insP := tx.DB().NewQuery(`INSERT INTO permits (id, permit_type, department, status, data, created_by, assignee, created, updated)
			VALUES ({:id}, {:type}, {:dept}, {:status}, '{}', {:by}, {:assignee}, {:created}, {:updated})`).Prepare()
		defer insP.Close()
		insE := tx.DB().NewQuery(`INSERT INTO events (id, permit, complaint, department, actor_kind, action, from_status, to_status, public, data, created, updated)
			VALUES ({:id}, {:permit}, {:complaint}, {:dept}, 'staff', {:action}, {:from}, {:to}, 1, {:data}, {:at}, {:at})`).Prepare()
		defer insE.Close()
		insF := tx.DB().NewQuery(`INSERT INTO feedback (id, complaint, permit, department, author, rating, comment, created, updated)
			VALUES ({:id}, {:complaint}, {:permit}, {:dept}, {:author}, {:rating}, {:comment}, {:at}, {:at})`).Prepare()
		defer insF.Close()
		event := func(permit, complaint, dept, action, from, to string, when time.Time, data string) error {
			events++
			_, err := insE.Bind(map[string]any{"id": fmt.Sprintf("be%013d", events), "permit": permit, "complaint": complaint, "dept": dept,
				"action": action, "from": from, "to": to, "data": data, "at": at(when)}).Execute()
			return err
		}
		rate := func(permit, complaint, dept string, when time.Time, i int) error {
			if i%5 >= 2 { // about 40 % rated
				return nil
			}
			comment := ""
			if i%3 == 0 {
				comment = "Comment " + pad(i, 6)
			}
			_, err := insF.Bind(map[string]any{"id": "bf" + permit + complaint, "complaint": complaint, "permit": permit, "dept": dept,
				"author": resA, "rating": 1 + (i*7)%5, "comment": comment, "at": at(when)}).Execute()
			return err
		}
		for i := range reports {
			d := rnd.IntN(3)
			id := "bc" + pad(i, 13)
			created := now.Add(-time.Duration(rnd.Int64N(int64(span))))
			h := func(hours float64) time.Time { return created.Add(time.Duration(hours * float64(time.Hour))) }
			status := "closed"
			age := now.Sub(created).Hours()
			switch {
			case age < 48 || i%20 == 0:
				status = "new"
			case age < 200 || i%20 == 1:
				status = "in_progress"
			case i%20 == 2:
				status = "duplicate"
			}
			updated := created
			if err := event("", id, depts[d], "comment", "", "", h(1), ""); err != nil {
				return err
			}
			if status != "new" {
				if err := event("", id, depts[d], "acknowledge", "new", "acknowledged", h(2+rnd.Float64()*20), ""); err != nil {
					return err
				}
				if err := event("", id, depts[d], "start", "acknowledged", "in_progress", h(24+rnd.Float64()*20), ""); err != nil {
					return err
				}
			}
			if i%7 == 0 {
				if err := event("", id, depts[d], "escalated", "", "", h(30), `{"level":1}`); err != nil {
					return err
				}
			}
			switch status {
			case "duplicate":
				if err := event("", id, depts[d], "mark_duplicate", "in_progress", "duplicate", h(50), ""); err != nil {
					return err
				}
			case "closed":
				if err := event("", id, depts[d], "resolve", "in_progress", "resolved", h(60+rnd.Float64()*100), ""); err != nil {
					return err
				}
				if err := event("", id, depts[d], "close", "resolved", "closed", h(180), ""); err != nil {
					return err
				}
				updated = h(180)
				if err := rate("", id, depts[d], h(170), i); err != nil {
					return err
				}
			}
			_, err := insC.Bind(map[string]any{"id": id, "ref": "SR-B-" + pad(i, 7), "cat": cats[d], "dept": depts[d], "status": status,
				"src": sources[i%len(sources)], "assignee": staff[d], "ack": at(h(8)), "resolve": at(h(40)),
				"created": at(created), "updated": at(updated)}).Execute()
			if err != nil {
				return err
			}
		}
		for i := range permits {
			d := rnd.IntN(3)
			id := "bp" + pad(i, 13)
			created := now.Add(-time.Duration(rnd.Int64N(int64(span))))
			h := func(days float64) time.Time { return created.Add(time.Duration(days * 24 * float64(time.Hour))) }
			by := ""
			if i%4 == 0 {
				by = staff[d]
			}
			status := "issued"
			switch {
			case i%20 == 0:
				status = "draft"
			case i%20 == 1 || now.Sub(created) < 20*24*time.Hour:
				status = "in_review"
			case i%20 == 2:
				status = "denied"
			}
			if status != "draft" {
				steps := [][3]string{{"submit", "draft", "submitted"}, {"start_review", "submitted", "in_review"}}
				if i%3 == 0 {
					steps = append(steps, [3]string{"request_changes", "in_review", "changes_requested"},
						[3]string{"submit", "changes_requested", "submitted"}, [3]string{"start_review", "submitted", "in_review"})
				}
				switch status {
				case "denied":
					steps = append(steps, [3]string{"deny", "in_review", "denied"})
				case "issued":
					steps = append(steps, [3]string{"approve", "in_review", "approved"}, [3]string{"issue", "approved", "issued"})
				}
				if i%5 != 0 {
					if err := event(id, "", depts[d], "note", "", "", h(1.5), ""); err != nil {
						return err
					}
				}
				for k, s := range steps {
					if err := event(id, "", depts[d], s[0], s[1], s[2], h(1+float64(k)*2+rnd.Float64()), ""); err != nil {
						return err
					}
				}
				if status != "in_review" {
					if err := rate(id, "", depts[d], h(16), i); err != nil {
						return err
					}
				}
			}
			_, err := insP.Bind(map[string]any{"id": id, "type": ptypes[d], "dept": depts[d], "status": status, "by": by,
				"assignee": staff[d], "created": at(created), "updated": at(h(1))}).Execute()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return events
}

// BenchmarkInsights times Insights over 100,000 requests (60,000 problem
// reports, 40,000 permit applications over 24 months, three departments)
// and ~500,000 events: a director's 12-month call (and a clerk's), median
// and 99th percentile. It also reports filling the roll-up from scratch
// (what an upgrade does once at start).
func BenchmarkInsights(b *testing.B) {
	e := newEnv(b)
	now := time.Now()
	e.clock.Set(now)
	start := time.Now()
	n := insertInsightHistory(b, e.app, 60_000, 40_000, now)
	inserted := time.Since(start)
	start = time.Now()
	written, err := e.portal.RebuildInsightFacts(false)
	if err != nil {
		b.Fatal(err)
	}
	rebuilt := time.Since(start)
	if _, err := e.app.DB().NewQuery("ANALYZE").Execute(); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d events; inserted in %s; roll-up of %d requests built in %s", n, inserted, written, rebuilt)
	e.app.Settings().RateLimits.Enabled = false
	yearAgo := now.AddDate(-1, 0, 1).Format("2006-01-02")
	today := now.Format("2006-01-02")
	cases := []struct{ name, role, query string }{
		{"director-12-months", roleDirector, "?period=custom&from=" + yearAgo + "&to=" + today},
		{"director-year", roleDirector, "?period=year"},
		{"director-month", roleDirector, "?period=month"},
		{"clerk-12-months", roleClerkX, "?period=custom&from=" + yearAgo + "&to=" + today},
		{"director-12-months-csv", roleDirector, "/export?table=trends&period=custom&from=" + yearAgo + "&to=" + today},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			durations := make([]time.Duration, 0, b.N)
			cpu0 := cpuTime()
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				res := e.do(b, http.MethodGet, "/api/townhall/staff/insights"+c.query, nil, c.role)
				durations = append(durations, time.Since(t0))
				if res.Status != http.StatusOK {
					b.Fatalf("%d %s", res.Status, res.Body)
				}
			}
			b.StopTimer()
			// the process's CPU time (every thread: the call and its GC), which
			// other sessions on the machine do not inflate as they do the clock
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			if c.name == "director-12-months" && e.portal.factsSeen.Load() < 100_000 {
				b.Fatalf("read %d facts, want every request", e.portal.factsSeen.Load())
			}
			slices.Sort(durations)
			ms := func(q float64) float64 {
				return float64(durations[int(q*float64(len(durations)-1))]) / float64(time.Millisecond)
			}
			b.ReportMetric(ms(0.50), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
		})
	}
	b.ReportMetric(rebuilt.Seconds(), "rollup-build-s")
}
