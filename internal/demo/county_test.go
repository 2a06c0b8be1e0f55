package demo_test

import (
	"bytes"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/demo"
	"github.com/townhall-portal/townhall/internal/geo"
	_ "github.com/townhall-portal/townhall/pb_migrations"
)

// TestDemoCounty: the demo county has a boundary holding every demo report
// and every address point, a few thousand addresses, and a second seed
// adds none.
func TestDemoCounty(t *testing.T) {
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
	s, err := app.FindFirstRecordByFilter("town_settings", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := geo.ParseBoundary([]byte(s.GetString("boundary")))
	if err != nil || b.Empty() {
		t.Fatalf("boundary: %v", err)
	}
	if s.GetString("outside_message") == "" || s.GetString("outside_message_es") == "" {
		t.Error("no outside message")
	}
	// the history's reports lie in 44.95–45.05 N, 93.15–93.05 W (history.go)
	for _, pt := range [][2]float64{{44.95, -93.15}, {44.95, -93.05}, {45.05, -93.15}, {45.05, -93.05}, {45, -93.1}} {
		if !b.Contains(pt[0], pt[1]) {
			t.Errorf("the history's corner %v is outside the boundary", pt)
		}
	}
	var points []struct {
		Lat float64 `db:"lat"`
		Lon float64 `db:"lon"`
	}
	if err := app.DB().NewQuery("SELECT json_extract(location, '$.lat') AS lat, json_extract(location, '$.lon') AS lon FROM complaints WHERE has_location = TRUE " +
		"UNION ALL SELECT lat, lon FROM addresses").All(&points); err != nil {
		t.Fatal(err)
	}
	for _, p := range points {
		if !b.Contains(p.Lat, p.Lon) {
			t.Errorf("%v, %v is outside the demo county", p.Lat, p.Lon)
		}
	}
	count := func() int {
		var n int
		_ = app.DB().NewQuery("SELECT COUNT(*) FROM addresses").Row(&n)
		return n
	}
	if n := count(); n < 3000 || n > 5000 {
		t.Errorf("%d demo addresses", n)
	}
	before := count()
	if err := demo.SeedWith(app, portal, &out, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	if after := count(); after != before {
		t.Errorf("a second seed added %d addresses", after-before)
	}
	if items, err := portal.SearchAddresses("121 main", 8); err != nil || len(items) == 0 || items[0].Label != "121 Main St, Pine Falls 55990" {
		t.Errorf("search: %v %+v", err, items)
	}
}
