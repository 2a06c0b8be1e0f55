package demo_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/demo"
	_ "github.com/townhall-portal/townhall/pb_migrations"
)

// snapshot is every record's id and update time, per collection.
func snapshot(t *testing.T, app core.App) map[string]string {
	t.Helper()
	out := map[string]string{}
	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.IsView() {
			continue
		}
		records, err := app.FindAllRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range records {
			out[c.Name+"/"+r.Id] = r.GetString("updated")
		}
	}
	return out
}

func TestSeedDemoIsIdempotent(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	portal := hooks.Register(app)

	var out bytes.Buffer
	if err := demo.SeedWith(app, portal, &out, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	first := snapshot(t, app)

	counts := map[string]int{}
	for key := range first {
		counts[strings.SplitN(key, "/", 2)[0]]++
	}
	want := map[string]int{"departments": 3, "permit_types": 4, "complaint_categories": 6, "users": 2, "_superusers": 1, "staff": 5}
	// every department has somebody to work what it owns
	depts, err := app.FindAllRecords("departments")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		if n, _ := app.CountRecords("staff", dbx.HashExp{"department": d.Id, "active": true}); n == 0 {
			t.Errorf("department %s has no staff", d.GetString("name"))
		}
	}
	for col, n := range want {
		if counts[col] != n {
			t.Errorf("%s: %d records, want %d", col, counts[col], n)
		}
	}
	if counts["staff"] < 3 {
		t.Errorf("staff: %d records, want one per role", counts["staff"])
	}
	if counts["permits"] < 3 || counts["complaints"] < 3 {
		t.Errorf("only %d permits and %d complaints", counts["permits"], counts["complaints"])
	}
	roles := map[string]bool{}
	staff, _ := app.FindAllRecords("staff")
	for _, s := range staff {
		roles[s.GetString("role")] = true
	}
	for _, r := range []string{"clerk", "supervisor", "director"} {
		if !roles[r] {
			t.Errorf("no demo %s", r)
		}
	}
	for _, col := range []string{"permits", "complaints"} {
		states := map[string]bool{}
		records, _ := app.FindAllRecords(col)
		for _, r := range records {
			states[r.GetString("status")] = true
		}
		if len(states) < 3 {
			t.Errorf("%s in only %d states: %v", col, len(states), states)
		}
	}
	residents, _ := app.FindAllRecords("users")
	for _, r := range residents {
		if !r.Verified() {
			t.Errorf("demo resident %s is not verified", r.Email())
		}
	}

	out.Reset()
	if err := demo.SeedWith(app, portal, &out, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	second := snapshot(t, app)
	if len(first) != len(second) {
		t.Fatalf("second run changed the record count from %d to %d", len(first), len(second))
	}
	for k, v := range first {
		if second[k] != v {
			t.Errorf("second run touched %s (%s -> %s)", k, v, second[k])
		}
	}
	if !strings.Contains(out.String(), "nothing changed") {
		t.Errorf("second run said %q", out.String())
	}
}

// TestDemoHistory: seed --demo writes 18 months of believable history
// through the real actions: at least 5,000 reports and 800 applications,
// every channel, late work escalated, reopenings, abandoned drafts, ratings
// on about 40 % of closed requests, dated across the months, with the
// director's roll-up built; a second seed adds nothing.
func TestDemoHistory(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	portal := hooks.Register(app)
	var out bytes.Buffer
	if err := demo.Seed(app, portal, &out); err != nil {
		t.Fatal(err)
	}
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := app.DB().NewQuery(sql).Row(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	reports, permits := count("SELECT COUNT(*) FROM complaints WHERE id LIKE 'dh%'"), count("SELECT COUNT(*) FROM permits WHERE id LIKE 'dh%'")
	if reports < 5000 || permits < 800 {
		t.Errorf("%d reports and %d applications, want at least 5,000 and 800", reports, permits)
	}
	for _, source := range []string{"web", "phone", "walk_in", "email"} {
		if n := count("SELECT COUNT(*) FROM complaints WHERE id LIKE 'dh%' AND source = '" + source + "'"); n < 100 {
			t.Errorf("%d reports by %s", n, source)
		}
	}
	for what, sql := range map[string]string{
		"escalations":      "SELECT COUNT(*) FROM events WHERE action = 'escalated'",
		"reopenings":       "SELECT COUNT(*) FROM events WHERE action = 'reopen'",
		"changes asked":    "SELECT COUNT(*) FROM events WHERE action = 'request_changes'",
		"denials":          "SELECT COUNT(*) FROM permits WHERE id LIKE 'dh%' AND status = 'denied'",
		"abandoned drafts": "SELECT COUNT(*) FROM permits WHERE id LIKE 'dh%' AND status = 'draft' AND updated < strftime('%Y-%m-%d', 'now', '-30 days')",
		"rejections":       "SELECT COUNT(*) FROM complaints WHERE id LIKE 'dh%' AND status = 'rejected'",
	} {
		if n := count(sql); n < 20 {
			t.Errorf("%d %s", n, what)
		}
	}
	closed := count("SELECT COUNT(*) FROM complaints WHERE id LIKE 'dh%' AND status IN ('resolved', 'closed') AND reporter != ''")
	rated := count("SELECT COUNT(*) FROM feedback WHERE complaint LIKE 'dh%'")
	if share := float64(rated) / float64(closed); share < 0.3 || share > 0.55 {
		t.Errorf("%d of %d closed reports rated (%.0f %%), want about 40 %%", rated, closed, share*100)
	}
	// dated across the months, by the moving clock, not at the moment of seeding
	if n := count("SELECT COUNT(*) FROM events WHERE created < strftime('%Y-%m-%d', 'now', '-17 months')"); n < 100 {
		t.Errorf("%d events older than 17 months", n)
	}
	if n := count("SELECT COUNT(*) FROM complaints WHERE id LIKE 'dh%' AND created < strftime('%Y-%m-%d', 'now', '-17 months')"); n < 100 {
		t.Errorf("%d reports older than 17 months", n)
	}
	// the history sent nobody an email
	if n := count("SELECT COUNT(*) FROM outbox WHERE `to` LIKE '%history.example.com'"); n != 0 {
		t.Errorf("%d emails queued to the history's residents", n)
	}
	// the director's figures have it
	if facts, all := count("SELECT COUNT(*) FROM townhall_insight_facts"), count("SELECT (SELECT COUNT(*) FROM complaints) + (SELECT COUNT(*) FROM permits)"); facts != all {
		t.Errorf("%d insight facts for %d requests", facts, all)
	}
	before := count("SELECT COUNT(*) FROM events")
	if err := demo.Seed(app, portal, &out); err != nil {
		t.Fatal(err)
	}
	if after := count("SELECT COUNT(*) FROM events"); after != before {
		t.Errorf("a second seed wrote %d more events", after-before)
	}
}
