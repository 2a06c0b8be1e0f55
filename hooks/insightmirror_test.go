package hooks

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/townhall-portal/townhall/internal/insights"
)

// tableInsights answers r as Insights did before the mirror: the facts read
// from the table for the period (and the targets' baseline years), in the
// caller's departments only.
func tableInsights(t *testing.T, p *Portal, r insightsRequest) insightsAnswer {
	t.Helper()
	var ans insightsAnswer
	targets, err := p.targetsFor(r.visible)
	if err != nil {
		t.Fatal(err)
	}
	since := r.period.Earliest()
	for _, tg := range targets {
		if tg.ChangePercent != nil {
			if y := insights.Year(tg.BaselineYear, r.loc).From; y.Before(since) {
				since = y
			}
		}
	}
	facts, err := p.loadFacts(r.visible, since)
	if err != nil {
		t.Fatal(err)
	}
	ans.Insights = insights.Build(facts, r.scope, r.period, r.now)
	ans.Targets = make([]insights.Progress, 0, len(targets))
	for _, tg := range targets {
		if tg.Check() == nil {
			ans.Targets = append(ans.Targets, tg.Measure(facts, r.period.Current, r.now, r.loc))
		}
	}
	byID := map[string]*insights.Fact{}
	for i := range facts {
		byID[facts[i].ID] = &facts[i]
	}
	if ans.Comments, err = p.insightComments(r, func(id string) *insights.Fact { return byID[id] }); err != nil {
		t.Fatal(err)
	}
	if ans.Pages, err = p.pageFeedback(r); err != nil {
		t.Fatal(err)
	}
	if ans.Names, err = p.insightNames(); err != nil {
		t.Fatal(err)
	}
	return ans
}

// TestInsightsMirrorMatchesTheTable: the figures from the roll-up in memory
// are exactly those read from the table, for every caller, period and
// filter — after the first read, after changes through the hooks (a
// request changed, one deleted, one new), and after a rewrite of the whole
// roll-up.
func TestInsightsMirrorMatchesTheTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := e.portal.now()
	insertInsightHistory(t, e.app, 1500, 1000, now)
	if _, err := e.portal.RebuildInsightFacts(false); err != nil {
		t.Fatal(err)
	}
	for _, tg := range []map[string]any{
		{"metric": "resolve_on_time", "department": deptX, "value": 90},
		{"metric": "county_median", "change_percent": -20, "baseline_year": now.Year() - 1},
		{"metric": "satisfaction", "value": 4.3, "channel": "phone"},
	} {
		if res := e.do(t, http.MethodPost, "/api/collections/targets/records", tg, roleSuperuser); res.Status != 200 {
			t.Fatalf("target: %d %s", res.Status, res.Body)
		}
	}
	loc := e.portal.townSettings(e.app).Calendar.Location()
	yearAgo := now.AddDate(-1, 0, 1).Format("2006-01-02")
	type ask struct {
		kind, from, to string
		visible        string
		scope          insights.Scope
	}
	var asks []ask
	for _, per := range [][3]string{{"month", "", ""}, {"quarter", "", ""}, {"year", "", ""}, {"custom", yearAgo, now.Format("2006-01-02")},
		{"month", now.AddDate(-1, -3, 0).Format("2006-01"), ""}, {"year", now.AddDate(-1, 0, 0).Format("2006-01-02"), ""}} {
		for _, sc := range []insights.Scope{{}, {Department: deptY}, {Category: catX}, {Type: typeY}, {Channel: "phone"}, {Department: deptX, Channel: "online"}} {
			asks = append(asks, ask{per[0], per[1], per[2], "", sc})
		}
		asks = append(asks, ask{per[0], per[1], per[2], deptX, insights.Scope{Department: deptX}},
			ask{per[0], per[1], per[2], deptZ, insights.Scope{Department: deptZ, Channel: "email"}})
	}
	compare := func(when string) {
		t.Helper()
		for _, a := range asks {
			period, err := insights.ParsePeriod(a.kind, a.from, a.to, loc, now)
			if err != nil {
				t.Fatal(err)
			}
			r := insightsRequest{period: period, scope: a.scope, visible: a.visible, loc: loc, now: now}
			got, err := e.portal.computeInsights(r)
			if err != nil {
				t.Fatal(err)
			}
			want := tableInsights(t, e.portal, r)
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if string(gj) != string(wj) {
				t.Errorf("%s, %+v: the mirror's figures differ from the table's\n got %.600s\nwant %.600s", when, a, gj, wj)
				return
			}
		}
	}
	compare("first read")

	// through the hooks: a report unassigned, a permit deleted, a report acknowledged
	rep, err := e.app.FindRecordById("complaints", "bc"+pad(5, 13))
	if err != nil {
		t.Fatal(err)
	}
	rep.Set("assignee", "")
	if err := e.app.Save(rep); err != nil {
		t.Fatal(err)
	}
	perm, err := e.app.FindRecordById("permits", "bp"+pad(7, 13))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Delete(perm); err != nil {
		t.Fatal(err)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/acknowledge", map[string]any{}, roleClerkX); res.Status != 200 {
		t.Fatalf("acknowledge: %d %s", res.Status, res.Body)
	}
	before := len(e.portal.mirror.facts)
	compare("after changes")
	if got := len(e.portal.mirror.facts); got != before-1 {
		t.Errorf("the mirror holds %d facts after a deletion, want %d", got, before-1)
	}

	// the whole roll-up rewritten (a calendar change): read again
	seq := e.portal.mirror.seq
	if _, err := e.portal.RebuildInsightFacts(false); err != nil {
		t.Fatal(err)
	}
	compare("after a rewrite")
	var kept int
	if err := e.app.DB().NewQuery("SELECT count(*) FROM townhall_insight_changes").Row(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != 1 || e.portal.mirror.seq <= seq {
		t.Errorf("after a rewrite the log keeps %d changes (want the rewrite only), the mirror is at %d (was %d)", kept, e.portal.mirror.seq, seq)
	}
}

// TestInsightChangesAreKeptShort: the change log forgets what no reader
// needs, and a reader further behind than the log reads everything again.
func TestInsightChangesAreKeptShort(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, _, err := e.portal.insightFacts(); err != nil {
		t.Fatal(err)
	}
	e.portal.mirror.mu.RUnlock()
	n := len(e.portal.mirror.facts)
	// a rewritten fact that the mirror must still find after the log moved on
	if _, err := e.app.DB().NewQuery("UPDATE complaints SET status = 'rejected' WHERE id = {:id}").Bind(map[string]any{"id": complaintA}).Execute(); err != nil {
		t.Fatal(err)
	}
	if err := e.portal.refreshFact(e.app, insights.Report, complaintA); err != nil {
		t.Fatal(err)
	}
	for i := range keptFactChanges + 1000 {
		if err := logFactChange(e.app, fmt.Sprintf("nothing%07d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var kept, first int
	if err := e.app.DB().NewQuery("SELECT count(*), min(seq) FROM townhall_insight_changes").Row(&kept, &first); err != nil {
		t.Fatal(err)
	}
	if kept > keptFactChanges+1000 || first <= 1 {
		t.Errorf("the log keeps %d changes from %d", kept, first)
	}
	facts, release, err := e.portal.insightFacts()
	defer release()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range facts {
		if f.ID == complaintA {
			found = f.Status == "rejected"
		}
	}
	if !found || len(facts) != n {
		t.Errorf("after the log moved on: %d facts (want %d), complaint A rejected: %v", len(facts), n, found)
	}
}
