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
	if err := demo.Seed(app, portal, &out); err != nil {
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
	if err := demo.Seed(app, portal, &out); err != nil {
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
