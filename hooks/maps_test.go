package hooks

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/townhall-portal/townhall/internal/mapview"
)

// placeReports gives every report a map point in a 0.1° square of the
// county (spread by rowid, the same on every run) and makes the open ones
// public, as the report hooks would.
func placeReports(tb testing.TB, e *testEnv) {
	tb.Helper()
	for _, sql := range []string{
		`UPDATE complaints SET has_location = TRUE,
			location = json_object('lon', -93.15 + ((rowid * 104729) % 10000) / 100000.0, 'lat', 44.95 + ((rowid * 7919) % 10000) / 100000.0)`,
		`UPDATE complaints SET public_until = CASE WHEN status IN ('new', 'acknowledged', 'in_progress') THEN '9999-12-31 23:59:59.999Z' ELSE '' END`,
		"ANALYZE",
	} {
		if _, err := e.app.DB().NewQuery(sql).Execute(); err != nil {
			tb.Fatal(err)
		}
	}
}

type mapAnswer struct {
	Items []struct {
		Ref      string  `json:"ref"`
		Lat      float64 `json:"lat"`
		Lon      float64 `json:"lon"`
		Status   string  `json:"status"`
		Category string  `json:"category"`
	} `json:"items"`
	Truncated bool `json:"truncated"`
	Cap       int  `json:"cap"`
}

// TestPublicMap: the public map lists the public reports inside the box,
// of the status and category asked for, with locations rounded to 0.001°
// and nothing else of them; a report that left the public list is not on it.
func TestPublicMap(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, sql := range []string{
		`UPDATE complaints SET has_location = TRUE, location = '{"lon":-93.123456,"lat":44.987654}' WHERE id = '` + complaintA + `'`,
		`UPDATE complaints SET has_location = TRUE, location = '{"lon":-93.054321,"lat":44.912345}' WHERE id = '` + complaintB + `'`,
	} {
		if _, err := e.app.DB().NewQuery(sql).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	get := func(query string) mapAnswer {
		t.Helper()
		res := e.do(t, http.MethodGet, "/api/townhall/public/reports/map"+query, nil, roleAnon)
		if res.Status != 200 {
			t.Fatalf("%s answered %d: %s", query, res.Status, res.Body)
		}
		for _, private := range []string{"A pothole", "1 A Street", resA, "description", "reporter", "123456", "987654"} {
			if strings.Contains(res.Body, private) {
				t.Errorf("%s shows %q: %s", query, private, res.Body)
			}
		}
		var a mapAnswer
		res.JSON(t, &a)
		return a
	}
	refs := func(a mapAnswer) string {
		var out []string
		for _, it := range a.Items {
			out = append(out, it.Ref)
		}
		return strings.Join(out, ",")
	}
	// complaintB is resolved but has no resolved_at: not on the public list
	all := get("")
	if refs(all) != "SR-2026-00001" || all.Truncated || all.Cap != mapPointCap {
		t.Fatalf("the whole county: %+v", all)
	}
	if it := all.Items[0]; it.Lat != 44.988 || it.Lon != -93.123 || it.Status != "new" || it.Category != "cat-x" {
		t.Errorf("the point is %+v; want rounded 44.988, -93.123, new, cat-x", it)
	}
	e.setStatus(t, "complaints", complaintB, "resolved", map[string]any{"resolved_at": testStart.Add(-24 * 3600e9)})
	for _, c := range []struct{ query, want string }{
		{"", "SR-2026-00002,SR-2026-00001"}, // in the order of the index: latitude
		{"?bbox=-93.2,44.95,-93.0,45.0", "SR-2026-00001"},
		{"?bbox=-93.1,44.9,-93.0,44.95", "SR-2026-00002"},
		{"?bbox=-92,44,-91,45", ""},
		{"?status=open", "SR-2026-00001"},
		{"?status=resolved", "SR-2026-00002"},
		{"?category=cat-y", "SR-2026-00002"},
		{"?category=no-such-kind", ""},
		{"?category=cat-x&status=resolved", ""},
	} {
		if got := refs(get(c.query)); got != c.want {
			t.Errorf("%q lists %q, want %q", c.query, got, c.want)
		}
	}
}

// TestPublicMapRefusesABadBox: a box that is not four numbers, outside the
// earth or upside down is a 400 saying what is wrong, in the caller's language.
func TestPublicMapRefusesABadBox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct{ bbox, en, es string }{
		{"1,2,3", "must be four numbers", "debe ser cuatro números"},
		{"a,b,c,d", "must be four numbers", "debe ser cuatro números"},
		{"NaN,1,2,3", "must be four numbers", "debe ser cuatro números"},
		{"-200,0,0,1", "outside the earth", "fuera de la Tierra"},
		{"0,-95,1,1", "outside the earth", "fuera de la Tierra"},
		{"1,0,0,1", "west before east", "oeste antes que el este"},
	} {
		for lang, want := range map[string]string{"en": c.en, "es": c.es} {
			res := e.do(t, http.MethodGet, "/api/townhall/public/reports/map?lang="+lang+"&bbox="+c.bbox, nil, roleAnon)
			if res.Status != 400 || !strings.Contains(res.Body, want) {
				t.Errorf("bbox=%s (%s) answered %d %s; want 400 saying %q", c.bbox, lang, res.Status, res.Body, want)
			}
		}
	}
}

// TestPublicMapHoldsAtMostItsCap: a view of the whole county with more
// public reports than the cap answers the cap and says there are more.
func TestPublicMapHoldsAtMostItsCap(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	insertQueueRequests(t, e.app, 6000, 0)
	placeReports(t, e)
	var public int
	_ = e.app.DB().NewQuery("SELECT COUNT(*) FROM complaints WHERE public_until != ''").Row(&public)
	if public <= mapPointCap {
		t.Fatalf("only %d public reports", public)
	}
	var a mapAnswer
	e.do(t, http.MethodGet, "/api/townhall/public/reports/map?bbox=-94,44,-92,46", nil, roleAnon).JSON(t, &a)
	if len(a.Items) != mapPointCap || !a.Truncated {
		t.Errorf("%d points, truncated %v; want %d, true", len(a.Items), a.Truncated, mapPointCap)
	}
	// compressed for browsers that take it
	req := httptest.NewRequest(http.MethodGet, "/api/townhall/public/reports/map?bbox=-94,44,-92,46", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	if res := e.send(req, roleAnon); res.Header.Get("Content-Encoding") != "gzip" || len(res.Body) > 60_000 {
		t.Errorf("the whole county's answer: %q, %d bytes", res.Header.Get("Content-Encoding"), len(res.Body))
	} else {
		t.Logf("the whole county's answer: %d bytes gzip", len(res.Body))
	}
	e.do(t, http.MethodGet, "/api/townhall/public/reports/map?bbox=-93.15,44.95,-93.14,44.96", nil, roleAnon).JSON(t, &a)
	if len(a.Items) == 0 || len(a.Items) >= mapPointCap || a.Truncated {
		t.Errorf("a small view: %d points, truncated %v", len(a.Items), a.Truncated)
	}
	for _, it := range a.Items {
		if it.Lat < 44.949 || it.Lat > 44.961 || it.Lon < -93.151 || it.Lon > -93.139 {
			t.Errorf("%s at %v,%v is outside the view", it.Ref, it.Lat, it.Lon)
		}
	}
}

// TestPublicMapPlanUsesItsIndex: every view reads one range of the public
// map index (latitude, then longitude, the filters checked on the index
// entries), never the table.
func TestPublicMapPlanUsesItsIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	insertQueueRequests(t, e.app, 3000, 0)
	placeReports(t, e)
	box := mapview.BBox{West: -93.15, South: 44.95, East: -93.1, North: 44.99}
	for _, c := range []struct {
		name             string
		box              *mapview.BBox
		status, category string
	}{
		{"county", nil, "", ""},
		{"view", &box, "", ""},
		{"view open", &box, "open", ""},
		{"view resolved of a category", &box, "resolved", catX},
	} {
		q := e.portal.publicMapQuery(c.box, c.status, c.category, mapPointCap+1).Build()
		var plan []struct {
			Detail string `db:"detail"`
		}
		if err := e.app.DB().NewQuery("EXPLAIN QUERY PLAN " + q.SQL()).Bind(q.Params()).All(&plan); err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, p := range plan {
			lines = append(lines, p.Detail)
		}
		got := strings.Join(lines, "\n")
		if !strings.Contains(got, "COVERING INDEX idx_complaints_public_map") {
			t.Errorf("%s does not read the public map index alone:\n%s", c.name, got)
		}
		if !strings.Contains(got, "<expr>>? AND <expr><?") {
			t.Errorf("%s does not seek the latitude range:\n%s", c.name, got)
		}
	}
}

// TestPublicMapSummary: a report's popup shows what the public list shows
// of it and the latest word from staff; a private description, a report no
// longer public and an unknown reference show nothing.
func TestPublicMapSummary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.app.DB().NewQuery(`UPDATE complaints SET has_location = TRUE, location = '{"lon":-93.123456,"lat":44.987654}',
		public_note = 'We will fix it this week' WHERE id = '` + complaintA + `'`).Execute(); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, http.MethodGet, "/api/townhall/public/reports/map/SR-2026-00001", nil, roleAnon)
	if res.Status != 200 {
		t.Fatalf("answered %d: %s", res.Status, res.Body)
	}
	for _, want := range []string{`"reference":"SR-2026-00001"`, `"category":"Category X"`, `"description":"A pothole"`, `"lat":44.988`,
		`"note":"We will fix it this week"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the summary lacks %s: %s", want, res.Body)
		}
	}
	for _, private := range []string{"1 A Street", resA, "987654"} {
		if strings.Contains(res.Body, private) {
			t.Errorf("the summary shows %q: %s", private, res.Body)
		}
	}
	if _, err := e.app.DB().NewQuery(`UPDATE complaints SET description_private = TRUE WHERE id = '` + complaintA + `'`).Execute(); err != nil {
		t.Fatal(err)
	}
	if res := e.do(t, http.MethodGet, "/api/townhall/public/reports/map/SR-2026-00001", nil, roleAnon); strings.Contains(res.Body, "A pothole") {
		t.Errorf("a private description is shown: %s", res.Body)
	}
	for _, ref := range []string{"SR-2026-00002", "SR-2026-99999", "x'); DROP TABLE complaints; --"} {
		if res := e.do(t, http.MethodGet, "/api/townhall/public/reports/map/"+strings.ReplaceAll(ref, " ", "%20"), nil, roleAnon); res.Status != 404 {
			t.Errorf("%s answered %d: %s", ref, res.Status, res.Body)
		}
	}
}

// TestSitePolicyFollowsTheTileSetting: the pages' Content-Security-Policy
// allows images from exactly the tile server's host — OpenStreetMap's by
// default, the administrator's once set — and a tile address that no
// policy could allow is refused when saved.
func TestSitePolicyFollowsTheTileSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	imgSrc := func() string {
		t.Helper()
		csp := e.do(t, http.MethodGet, "/report.html", nil, roleAnon).Header.Get("Content-Security-Policy")
		for _, d := range strings.Split(csp, ";") {
			if d = strings.TrimSpace(d); strings.HasPrefix(d, "img-src ") {
				return d
			}
		}
		t.Fatalf("no img-src in %q", csp)
		return ""
	}
	if got := imgSrc(); got != "img-src 'self' data: blob: https://tile.openstreetmap.org" {
		t.Errorf("default: %q", got)
	}
	s, err := e.app.FindFirstRecordByFilter("town_settings", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ url, want string }{
		{"https://{s}.tiles.example.org/{z}/{x}/{y}.png", "img-src 'self' data: blob: https://*.tiles.example.org"},
		{"http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png", "img-src 'self' data: blob: http://127.0.0.1:8123"},
		{"/tiles/{z}/{x}/{y}.png", "img-src 'self' data: blob:"},
		{"", "img-src 'self' data: blob: https://tile.openstreetmap.org"}, // empty: the default
	} {
		s.Set("map_tile_url", c.url)
		if err := e.app.Save(s); err != nil {
			t.Fatalf("saving %q: %v", c.url, err)
		}
		if got := imgSrc(); got != c.want {
			t.Errorf("%q: %q, want %q", c.url, got, c.want)
		}
	}
	// refused through the API with a message naming the field
	for _, bad := range []string{"https://tiles.example.org/map.png", "ftp://tiles.example.org/{z}/{x}/{y}.png",
		"https://tiles.example.org; script-src *;/{z}/{x}/{y}"} {
		res := e.do(t, http.MethodPatch, "/api/collections/town_settings/records/"+s.Id, map[string]any{"map_tile_url": bad}, roleSuperuser)
		if res.Status != 400 || !strings.Contains(res.Body, "map_tile_url") || !strings.Contains(res.Body, "tile address") {
			t.Errorf("%q answered %d: %s", bad, res.Status, res.Body)
		}
	}
	if got := imgSrc(); got != "img-src 'self' data: blob: https://tile.openstreetmap.org" {
		t.Errorf("after the refusals: %q", got)
	}
}

// TestQueueRowsCarryTheMapPoint: staff see a report's exact point in the
// queue (for its map view); permits and reports without one have none.
func TestQueueRowsCarryTheMapPoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.app.DB().NewQuery(`UPDATE complaints SET has_location = TRUE, location = '{"lon":-93.123456,"lat":44.987654}'
		WHERE id = '` + complaintA + `'`).Execute(); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, http.MethodGet, "/api/townhall/staff/queue?status=all", nil, roleDirector)
	var ans struct {
		Items []struct {
			ID  string   `json:"id"`
			Lat *float64 `json:"lat"`
		} `json:"items"`
	}
	res.JSON(t, &ans)
	var seen int
	for _, it := range ans.Items {
		switch {
		case it.ID == complaintA:
			seen++
			if it.Lat == nil || *it.Lat != 44.987654 {
				t.Errorf("the report's point: %s", res.Body)
			}
		case it.Lat != nil:
			t.Errorf("%s has a point: %s", it.ID, res.Body)
		}
	}
	if seen != 1 || !strings.Contains(res.Body, `"lon":-93.123456`) {
		t.Errorf("the report with a point is not listed with it: %s", res.Body)
	}
}

// BenchmarkPublicMap: the public map over 100,000 reports (about 40 %
// open and public, all with a point in the county): the whole county
// (capped), a neighbourhood, and a filtered view.
func BenchmarkPublicMap(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false
	insertQueueRequests(b, e.app, 100_000, 0)
	placeReports(b, e)
	for _, c := range []struct{ name, query string }{
		{"county", "?bbox=-93.2,44.9,-93.0,45.1"},
		{"neighbourhood", "?bbox=-93.13,44.97,-93.12,44.98"},
		{"county-open-category", "?bbox=-93.2,44.9,-93.0,45.1&status=open&category=cat-x"},
	} {
		b.Run(c.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				res := e.do(b, http.MethodGet, "/api/townhall/public/reports/map"+c.query, nil, roleAnon)
				if res.Status != 200 {
					b.Fatal(res.Status, res.Body)
				}
				size = len(res.Body)
			}
			b.ReportMetric(float64(size), "answer-bytes")
		})
	}
}
