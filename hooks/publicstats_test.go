package hooks

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// TestPublicStats: anyone reads the last 12 months per service from the
// roll-up; small cells are hidden without their count.
func TestPublicStats(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	insertInsightHistory(t, e.app, 300, 120, testStart)
	if _, err := e.portal.RebuildInsightFacts(false); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, http.MethodGet, "/api/townhall/public/stats", nil, roleAnon)
	if res.Status != http.StatusOK {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	var got publicStats
	res.JSON(t, &got)
	if got.From != "2025-11-18" || got.To != "2026-11-17" || got.MinCount != 5 || got.License != "Public domain (CC0 1.0)" {
		t.Errorf("window %s … %s, min %d, license %q", got.From, got.To, got.MinCount, got.License)
	}
	codes := []string{}
	for _, s := range got.Services {
		codes = append(codes, s.Code)
		for _, c := range []struct {
			name string
			n    int
			v    *float64
			hid  bool
		}{{"received", s.Received.N, s.Received.Value, s.Received.Hidden}, {"resolved", s.Resolved.N, s.Resolved.Value, s.Resolved.Hidden},
			{"median", s.MedianDays.N, s.MedianDays.Value, s.MedianDays.Hidden}, {"on time", s.OnTime.N, s.OnTime.Value, s.OnTime.Hidden},
			{"rating", s.AvgRating.N, s.AvgRating.Value, s.AvgRating.Hidden}} {
			if c.n > 0 && c.n < 5 || c.hid && (c.n != 0 || c.v != nil) {
				t.Errorf("%s %s: n %d shown (hidden=%v)", s.Code, c.name, c.n, c.hid)
			}
		}
	}
	for _, want := range []string{"cat-x", "cat-y", "TX", "TY"} {
		if !slices.Contains(codes, want) {
			t.Errorf("no row for %s in %v", want, codes)
		}
	}
	x := got.Services[slices.Index(codes, "cat-x")]
	if x.Received.Value == nil || *x.Received.Value < 20 || x.MedianDays.Value == nil || x.OnTime.Value == nil || x.AvgRating.Value == nil || x.NameEN != "Category X" {
		t.Errorf("cat-x row %+v", x)
	}
}

// TestOpenDataHasNoPersonalData: the open data files name no resident and
// carry no contact, description, address or exact position.
func TestOpenDataHasNoPersonalData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.record(t, "users", resA)
	a.Set("phone", "555-0147")
	if err := e.app.Save(a); err != nil {
		t.Fatal(err)
	}
	e.setStatus(t, "complaints", complaintB, "resolved", map[string]any{"location": types.GeoPoint{Lat: 44.123456, Lon: -93.654321},
		"has_location": true, "caller_email": "walkin@mail.test", "caller_phone": "555-0199", "caller_name": "Walk In"})
	e.setStatus(t, "permits", permitA, "submitted", map[string]any{"applicant_name": "Applicant Person", "applicant_email": "app@mail.test",
		"applicant_phone": "555-0123", "reference": "APP-2026-00001", "submitted_at": testStart})
	// the fixture reports have no filing date of their own
	if _, err := e.app.DB().NewQuery("UPDATE complaints SET created = '2026-11-02 10:00:00.000Z' WHERE created = ''").Execute(); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"Resident A", "Resident B", "a@resident.test", "b@resident.test", "555-0147", "555-0199", "555-0123",
		"Walk In", "walkin@mail.test", "Applicant Person", "app@mail.test", "A pothole", "A light", "Fixed", "1 A Street", "2 B Street",
		"44.123456", "93.654321", "44.1235", "height"}
	for _, f := range []string{"csv", "json"} {
		res := e.do(t, http.MethodGet, "/api/townhall/public/open-data/requests."+f, nil, roleAnon)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", f, res.Status, res.Body)
		}
		for _, s := range secrets {
			if strings.Contains(res.Body, s) {
				t.Errorf("%s contains %q:\n%s", f, s, res.Body)
			}
		}
		for _, want := range []string{"SR-2026-00001", "SR-2026-00002", "APP-2026-00001", "44.123", "-93.654", "Category Y"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s lacks %q:\n%s", f, want, res.Body)
			}
		}
		if !strings.Contains(res.Header.Get("Link"), "publicdomain/zero") {
			t.Errorf("%s: license link %q", f, res.Header.Get("Link"))
		}
		switch f {
		case "csv":
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF"))).ReadAll()
			if err != nil || len(recs) != 4 || len(recs[0]) != len(openDataFields) {
				t.Errorf("csv: %d rows, %v", len(recs), err)
			}
		case "json":
			var doc struct {
				License  string           `json:"license"`
				Requests []map[string]any `json:"requests"`
			}
			if err := json.Unmarshal([]byte(res.Body), &doc); err != nil || len(doc.Requests) != 3 || doc.License == "" {
				t.Fatalf("json: %v %d %q", err, len(doc.Requests), doc.License)
			}
			for _, r := range doc.Requests {
				if r["reference"] == "SR-2026-00002" && (r["lat"] != 44.123 || r["status"] != "resolved" || r["channel"] != "online") {
					t.Errorf("row %v", r)
				}
				if filed, _ := r["filed_at"].(string); filed == "" || !strings.HasSuffix(filed, "Z") {
					t.Errorf("filed_at %q in %v", filed, r)
				} else if _, err := time.Parse(time.RFC3339, filed); err != nil {
					t.Error(err)
				}
			}
		}
	}
}

// BenchmarkPublicStats times the public statistics over 100,000 requests
// (the Insights benchmark's history): the first computation (once every
// publicStatsTTL, done in the background after the first), then the calls
// that every visitor makes, median and 99th percentile — also while the
// figures are recomputed in the background every 100 calls — and a whole
// open data file.
func BenchmarkPublicStats(b *testing.B) {
	e := newEnv(b)
	now := testStart
	insertInsightHistory(b, e.app, 60_000, 40_000, now)
	if _, err := e.portal.RebuildInsightFacts(false); err != nil {
		b.Fatal(err)
	}
	if _, err := e.app.DB().NewQuery("ANALYZE").Execute(); err != nil {
		b.Fatal(err)
	}
	e.app.Settings().RateLimits.Enabled = false
	t0 := time.Now()
	body, err := e.portal.computePublicStats()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("one computation over 12 months: %s (%d bytes)", time.Since(t0), len(body))
	for _, c := range []string{"stats", "stats-refreshing", "requests.csv", "requests.json"} {
		url := "/api/townhall/public/stats"
		if !strings.HasPrefix(c, "stats") {
			url = "/api/townhall/public/open-data/" + c
		}
		b.Run(c, func(b *testing.B) {
			durations := make([]time.Duration, 0, b.N)
			size := 0
			b.ResetTimer()
			for i := range b.N {
				if c == "stats-refreshing" && i%100 == 0 {
					// the figures go stale: this call starts a computation in the background
					e.clock.Advance(publicStatsTTL)
				}
				t0 := time.Now()
				res := e.do(b, http.MethodGet, url, nil, roleAnon)
				durations = append(durations, time.Since(t0))
				if res.Status != http.StatusOK {
					b.Fatalf("%d %s", res.Status, res.Body)
				}
				size = len(res.Body)
			}
			b.StopTimer()
			slices.Sort(durations)
			ms := func(q float64) float64 {
				return float64(durations[int(q*float64(len(durations)-1))]) / float64(time.Millisecond)
			}
			b.ReportMetric(ms(0.50), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
			b.ReportMetric(float64(size)/1e6, "MB")
		})
	}
}

// TestOpenDataLicenseIsTheAdministrators: the files carry the license set in town_settings.
func TestOpenDataLicenseIsTheAdministrators(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.app.DB().NewQuery(`UPDATE town_settings SET open_data_license = 'ODC Attribution 1.0',
		open_data_license_url = 'https://opendatacommons.org/licenses/by/1-0/'`).Execute(); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, http.MethodGet, "/api/townhall/public/open-data/requests.json", nil, roleAnon)
	if !strings.Contains(res.Body, `"license":"ODC Attribution 1.0"`) || !strings.Contains(res.Header.Get("Link"), "opendatacommons.org") {
		t.Errorf("%s %v", res.Body[:min(200, len(res.Body))], res.Header)
	}
	res = e.do(t, http.MethodGet, "/api/townhall/public/stats", nil, roleAnon)
	if !strings.Contains(res.Body, `"license":"ODC Attribution 1.0"`) {
		t.Errorf("stats: %s", res.Body)
	}
}
