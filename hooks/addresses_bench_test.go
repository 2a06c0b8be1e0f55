package hooks

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/addresses"
)

// benchStreets are street names for generated addresses.
var benchStreets = []string{"Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Birch", "Willow", "Lake", "Hill", "Park", "River",
	"Church", "Mill", "Spring", "Ridge", "Meadow", "Forest", "Sunset", "Highland", "Jackson", "Lincoln", "Washington", "Franklin",
	"Adams", "Madison", "Jefferson", "Monroe", "Grant", "Prairie", "Valley", "Orchard", "School", "Depot", "Railroad", "Garden"}

var benchTypes = []string{"St", "Ave", "Rd", "Dr", "Ln", "Ct", "Way", "Blvd", "Trl", "Pl"}

// insertBenchAddresses writes n generated addresses straight into the
// table (with the keys the import computes) in one transaction.
func insertBenchAddresses(b testing.TB, app core.App, n int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(16, 200))
	err := app.RunInTransaction(func(tx core.App) error {
		q := tx.DB().NewQuery(`INSERT INTO addresses (id, label, number, street, unit, city, zip, lat, lon, parcel, address_key, key_number, key_street, created, updated)
			VALUES ({:id}, {:label}, {:number}, {:street}, {:unit}, 'Pineville', '55555', {:lat}, {:lon}, {:parcel}, {:key}, {:kn}, {:ks}, '', '')`).Prepare()
		defer q.Close()
		for i := range n {
			pre := ""
			if i%7 == 0 {
				pre = []string{"N ", "S ", "E ", "W "}[i%4]
			}
			street := pre + benchStreets[(i/60)%len(benchStreets)] + " " + benchTypes[(i/(60*len(benchStreets)))%len(benchTypes)]
			if i/(60*len(benchStreets)*len(benchTypes)) > 0 {
				street += fmt.Sprintf(" %d", i/(60*len(benchStreets)*len(benchTypes)))
			}
			a := addresses.Address{Number: fmt.Sprint(1 + rng.IntN(9999)), Street: street, City: "Pineville", Zip: "55555",
				Lat: 44 + rng.Float64(), Lon: -94 + rng.Float64(), Parcel: fmt.Sprintf("27-%06d", i)}
			if i%5 == 0 {
				a.Unit = fmt.Sprint(1 + i%12)
			}
			kn, ks := a.SearchKeys()
			if _, err := q.Bind(map[string]any{"id": "benchaddr" + pad(i, 6), "label": a.Label(), "number": a.Number, "street": a.Street,
				"unit": a.Unit, "lat": a.Lat, "lon": a.Lon, "parcel": a.Parcel, "key": a.Key() + "|" + itoa(i), "kn": kn, "ks": ks}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := app.DB().NewQuery("ANALYZE").Execute(); err != nil {
		b.Fatal(err)
	}
}

// percentiles reports the 50th and 99th percentile of per-request times.
func percentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	at := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkAddressSearch: what residents type into the address box (a
// house number and a street, a street alone, one or two characters of a
// number, a street type not finished, nothing that matches) over 200,000
// addresses, through the HTTP handler. Aim: p99 < 20 ms.
func BenchmarkAddressSearch(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false
	insertBenchAddresses(b, e.app, 200_000)
	rng := rand.New(rand.NewPCG(1, 2))
	queries := func() string {
		street := benchStreets[rng.IntN(len(benchStreets))]
		switch rng.IntN(6) {
		case 0:
			return fmt.Sprintf("%d %s", 1+rng.IntN(9999), street)
		case 1:
			return street + " " + benchTypes[rng.IntN(len(benchTypes))]
		case 2:
			return fmt.Sprint(1 + rng.IntN(99))
		case 3:
			return fmt.Sprintf("%d %s stre", 1+rng.IntN(999), street)
		case 4:
			return "n " + street[:2]
		default:
			return "zzyzx road"
		}
	}
	var took []time.Duration
	for b.Loop() {
		u := "/api/townhall/public/addresses?limit=8&q=" + url.QueryEscape(queries())
		start := time.Now()
		res := e.do(b, http.MethodGet, u, nil, roleAnon)
		took = append(took, time.Since(start))
		if res.Status != 200 {
			b.Fatalf("%s: %d %s", u, res.Status, res.Body)
		}
	}
	percentiles(b, took)
}

// BenchmarkNearbyReports: "is it one of these?" for random spots of a
// county of 100,000 reports (70 % open, 10 categories, spread over about
// 110 × 80 km), through the HTTP handler. Aim: p99 < 20 ms.
func BenchmarkNearbyReports(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false
	insertNearbyReports(b, e.app, 100_000)
	rng := rand.New(rand.NewPCG(3, 4))
	spot := func() string {
		return fmt.Sprintf("/api/townhall/public/reports/nearby?category=%s&lat=%.5f&lon=%.5f", catX, 44+rng.Float64()*0.02, -94+rng.Float64()*0.02)
	}
	for range 200 { // the database's pages into its cache, as a running server has them
		e.do(b, http.MethodGet, spot(), nil, roleAnon)
	}
	var took []time.Duration
	found := 0
	for b.Loop() {
		u := spot()
		start := time.Now()
		res := e.do(b, http.MethodGet, u, nil, roleAnon)
		took = append(took, time.Since(start))
		if res.Status != 200 {
			b.Fatalf("%s: %d %s", u, res.Status, res.Body)
		}
		if len(res.Body) > len(`{"items":[]}`) {
			found++
		}
	}
	percentiles(b, took)
	b.ReportMetric(float64(found)/float64(len(took)), "with-nearby/op")
}

// insertNearbyReports writes n reports straight into the database: a tenth
// of category X, their points dense in the south-west corner (where the
// benchmark asks) and spread over the county elsewhere.
func insertNearbyReports(b testing.TB, app core.App, n int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	states := []string{"new", "acknowledged", "in_progress", "new", "acknowledged", "in_progress", "new", "resolved", "closed", "rejected"}
	err := app.RunInTransaction(func(tx core.App) error {
		q := tx.DB().NewQuery(`INSERT INTO complaints (id, reference, category, department, status, description, location, has_location, public_until, created, updated)
			VALUES ({:id}, {:ref}, {:cat}, {:dept}, {:status}, 'Generated report', {:loc}, TRUE, {:until}, {:at}, {:at})`).Prepare()
		defer q.Close()
		at := dt(testStart.Add(-time.Hour))
		for i := range n {
			cat := fmt.Sprintf("benchcat%07d", i%10)
			if i%10 == 0 {
				cat = catX
			}
			lat, lon := 44+rng.Float64(), -94+rng.Float64()
			if i%4 == 0 { // a town: a quarter of the reports in 2 × 2 km
				lat, lon = 44+rng.Float64()*0.02, -94+rng.Float64()*0.02
			}
			st := states[rng.IntN(len(states))]
			until := ""
			if st == "new" || st == "acknowledged" || st == "in_progress" {
				until = "9999-12-31 23:59:59.999Z"
			}
			if _, err := q.Bind(map[string]any{"id": "benchnear" + pad(i, 6), "ref": "SR-2025-" + pad(i, 6), "cat": cat, "dept": deptX,
				"status": st, "loc": fmt.Sprintf(`{"lat":%.6f,"lon":%.6f}`, lat, lon), "until": until, "at": at}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := app.DB().NewQuery("ANALYZE").Execute(); err != nil {
		b.Fatal(err)
	}
}
