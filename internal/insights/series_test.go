package insights

import (
	"testing"
	"time"
)

func TestSeriesMonths(t *testing.T) {
	month := func(y int, m time.Month) Window { return Window{ct(y, m, 1, 0, 0), ct(y, m+1, 1, 0, 0)} }
	for _, c := range []struct {
		kind, from, to string
		first, last    Window
		n              int
	}{
		// one month: the 12 months ending with it
		{"month", "2026-11", "", month(2025, 12), month(2026, 11), 12},
		// the month in progress is the last
		{"month", "", "", month(2026, 1), month(2026, 12), 12},
		// a quarter: its months so far (now is 10 December)
		{"quarter", "2026-11", "", month(2026, 10), month(2026, 12), 3},
		{"year", "2025-06-01", "", month(2025, 1), month(2025, 12), 12},
		{"year", "2026-06-01", "", month(2026, 1), month(2026, 12), 12},
		// a custom period inside one month is charted like a month
		{"custom", "2026-11-03", "2026-11-20", month(2025, 12), month(2026, 11), 12},
		{"custom", "2026-10-15", "2026-11-10", month(2026, 10), month(2026, 11), 2},
		// a custom period over a DST change and a year end, in local months
		{"custom", "2025-10-31", "2026-03-01", month(2025, 10), month(2026, 3), 6},
	} {
		p, err := ParsePeriod(c.kind, c.from, c.to, chicago, fixtureNow)
		if err != nil {
			t.Fatal(err)
		}
		got := SeriesMonths(p, fixtureNow)
		if len(got) != c.n || got[0] != c.first || got[len(got)-1] != c.last {
			t.Errorf("%s %s–%s: %d months %v … %v, want %d %v … %v", c.kind, c.from, c.to, len(got), got[0], got[len(got)-1], c.n, c.first, c.last)
			continue
		}
		for i := 1; i < len(got); i++ {
			if got[i].From != got[i-1].To {
				t.Errorf("%s %s: months %v and %v are not contiguous", c.kind, c.from, got[i-1], got[i])
			}
		}
	}
	// a year that has not started has no months yet
	p, _ := ParsePeriod("year", "2027-01-01", "", chicago, fixtureNow)
	if got := SeriesMonths(p, fixtureNow); len(got) != 0 {
		t.Errorf("2027: %v", got)
	}
}

// TestSeries: the fixture's key figures month by month, worked out by hand
// from the comments in fixture_test.go.
func TestSeries(t *testing.T) {
	facts := fixtureFacts(t)
	month := func(y int, m time.Month) Window { return Window{ct(y, m, 1, 0, 0), ct(y, m+1, 1, 0, 0)} }
	empty := func(y int, m time.Month) Month {
		return Month{Month: time.Date(y, m, 1, 0, 0, 0, 0, chicago).Format("2006-01"), Window: month(y, m)}
	}
	p, _ := ParsePeriod("year", "2026-01-01", "", chicago, fixtureNow)
	got := Series(facts, Scope{}, SeriesMonths(p, fixtureNow))
	var want []Month
	for m := time.January; m <= time.September; m++ {
		want = append(want, empty(2026, m))
	}
	want = append(want,
		// October: received R1, R7, R9, P2, P6; closed and still so at the
		// month's end R7 (resolved on the 8th) and P6 (approved on the 15th);
		// R7 resolved in 31 business hours, before its deadline; P6 10 county days
		Month{Month: "2026-10", Window: month(2026, 10), Received: 5, Closed: 2,
			ResolveMedian: fp(31), Resolved: 1, ResolveOnTime: fp(100), ResolveCounted: 1,
			CountyMedian: fp(10), Decided: 1},
		// November: as in TestFixtureNovember; county 5 and 3.04 days: 4.02 → 4
		Month{Month: "2026-11", Window: month(2026, 11), Received: 8, Closed: 6,
			ResolveMedian: fp(15), Resolved: 3, ResolveOnTime: fp(66.7), ResolveCounted: 3,
			Satisfaction: fp(3), Ratings: 4, CountyMedian: fp(4), Decided: 2},
		// December (so far): R2 resolved again on the 1st at 10:00 after
		// 2 + 0 (Thanksgiving) + 9 + 9 + 2 = 22 business hours, before its
		// 4 December deadline; R6 rated 4
		Month{Month: "2026-12", Window: month(2026, 12), Closed: 1,
			ResolveMedian: fp(22), Resolved: 1, ResolveOnTime: fp(100), ResolveCounted: 1,
			Satisfaction: fp(4), Ratings: 1})
	assertJSON(t, "2026", got, want)

	// November 2025 has R8 alone: filed, resolved in 18 business hours on
	// time, still resolved; department 2 has nothing then
	p, _ = ParsePeriod("custom", "2025-11-01", "2026-01-31", chicago, fixtureNow)
	got = Series(facts, Scope{}, SeriesMonths(p, fixtureNow))
	assertJSON(t, "winter 2025", got, []Month{
		{Month: "2025-11", Window: month(2025, 11), Received: 1, Closed: 1, ResolveMedian: fp(18), Resolved: 1, ResolveOnTime: fp(100), ResolveCounted: 1},
		empty(2025, 12), empty(2026, 1)})

	// in scope: department 2 in November received R3, R4, P3, P7 (and
	// started P5); closed R3 (a duplicate); nothing resolved, rated or decided
	p, _ = ParsePeriod("month", "2026-11", "", chicago, fixtureNow)
	got = Series(facts, Scope{Department: "dept2"}, SeriesMonths(p, fixtureNow))
	if n := got[len(got)-1]; n.Month != "2026-11" || n.Received != 4 || n.Closed != 1 || n.ResolveMedian != nil || n.Satisfaction != nil || n.CountyMedian != nil {
		t.Errorf("department 2, November: %+v", n)
	}

	// every month agrees with Compute over the month's window
	for _, s := range []Scope{{}, {Department: "dept1"}, {Channel: Phone}, {Type: "fence"}} {
		for _, m := range Series(facts, s, SeriesMonths(p, fixtureNow)) {
			f := Compute(facts, s, m.Window, fixtureNow)
			want := Month{Month: m.Month, Window: m.Window, Received: f.Volume.Received, Closed: f.Volume.Closed,
				ResolveMedian: f.Response.Resolve.Median, Resolved: f.Response.Resolve.N,
				ResolveOnTime: f.Response.ResolveOnTime, ResolveCounted: f.Response.ResolveCounted,
				Satisfaction: f.Satisfaction.Average, Ratings: f.Satisfaction.Ratings,
				CountyMedian: f.Permits.All.County.Median, Decided: f.Permits.All.County.N}
			assertJSON(t, m.Month, m, want)
		}
	}
	// the Insights answer carries the series, and its CSV table
	in := Build(facts, Scope{}, p, fixtureNow)
	if len(in.Series) != 12 || in.Series[11].Month != "2026-11" {
		t.Fatalf("series of the answer: %+v", in.Series)
	}
	tbl := Tables(&in, nil, Names{}, chicago)["monthly"]
	assertJSON(t, "monthly table", tbl.Rows[10:], [][]string{
		{"2026-10", "5", "2", "31", "100", "", "10"},
		{"2026-11", "8", "6", "15", "66.7", "3", "4"}})
	if got := Series(facts, Scope{}, nil); len(got) != 0 {
		t.Errorf("no months: %v", got)
	}
}

// BenchmarkSeries: the monthly series of 12 months over ~100,000 facts (the
// fixture's requests, many times over).
func BenchmarkSeries(b *testing.B) {
	one := fixtureFacts(&testing.T{})
	facts := make([]Fact, 0, 100_000)
	for len(facts) < 100_000 {
		facts = append(facts, one...)
	}
	p, _ := ParsePeriod("month", "2026-11", "", chicago, fixtureNow)
	months := SeriesMonths(p, fixtureNow)
	b.ResetTimer()
	for range b.N {
		Series(facts, Scope{}, months)
	}
}
