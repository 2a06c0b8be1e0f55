package insights

import (
	"testing"
	"time"
)

func TestPublicStats(t *testing.T) {
	day := int64(86400)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := Window{From: from, To: from.AddDate(1, 0, 0)}
	t0 := from.Unix() + 10*day
	var facts []Fact
	// potholes: 6 received, 6 resolved after 1..6 days, 4 by the deadline (3 days), 5 ratings
	for i := range 6 {
		f := Fact{ID: "p" + string(rune('a'+i)), Kind: Report, Service: "pothole", Department: "works",
			Received: t0, ResolvedAt: t0 + int64(i+1)*day, ResolveDue: t0 + 3*day + 1}
		if i < 5 {
			f.Rating, f.RatedAt = 1+i%5, t0+8*day
		}
		facts = append(facts, f)
	}
	facts[3].ResolveDue = t0 + 10*day // 4 of 6 on time
	// noise: 3 received, none resolved (hidden), one received before the window
	for i := range 3 {
		facts = append(facts, Fact{ID: "n" + string(rune('a'+i)), Kind: Report, Service: "noise", Received: t0})
	}
	facts = append(facts, Fact{ID: "old", Kind: Report, Service: "noise", Received: from.Unix() - day})
	// fences: 5 decided within 10 days' turnaround except one; county time counted
	for i := range 5 {
		facts = append(facts, Fact{ID: "f" + string(rune('a'+i)), Kind: Permit, Service: "FNC", Received: t0,
			DecidedAt: t0 + int64(2*i+2)*day, CountyTime: int64(3*i+1) * day, TurnaroundDays: 10})
	}
	// a service with nothing in the window does not appear
	facts = append(facts, Fact{ID: "x", Kind: Permit, Service: "OLD", Received: from.Unix() - 5*day})

	rows := PublicStats(facts, w)
	if len(rows) != 3 {
		t.Fatalf("rows %+v", rows)
	}
	val := func(c Cell) float64 {
		if c.Value == nil {
			return -1
		}
		return *c.Value
	}
	cases := []struct {
		name string
		got  Cell
		want float64
		hid  bool
	}{
		{"pothole received", rows[1].Received, 6, false},
		{"pothole resolved", rows[1].Resolved, 6, false},
		{"pothole median days", rows[1].MedianDays, 3.5, false},
		{"pothole on time", rows[1].OnTime, 66.7, false},
		{"pothole rating", rows[1].AvgRating, 3, false},
		{"noise received (3: hidden)", rows[0].Received, -1, true},
		{"noise resolved (0: shown)", rows[0].Resolved, 0, false},
		{"noise median (none)", rows[0].MedianDays, -1, false},
		{"fence decided", rows[2].Resolved, 5, false},
		{"fence median days", rows[2].MedianDays, 6, false},
		{"fence within turnaround (county 1,4,7,10,13 days)", rows[2].OnTime, 80, false},
		{"fence rating (none)", rows[2].AvgRating, -1, false},
	}
	for _, c := range cases {
		if val(c.got) != c.want || c.got.Hidden != c.hid {
			t.Errorf("%s: got %v hidden=%v, want %v hidden=%v", c.name, val(c.got), c.got.Hidden, c.want, c.hid)
		}
		if c.got.Hidden && c.got.N != 0 {
			t.Errorf("%s: a hidden cell tells its count %d", c.name, c.got.N)
		}
	}
	if rows[0].Service != "noise" || rows[1].Service != "pothole" || rows[2].Service != "FNC" {
		t.Errorf("order %s %s %s", rows[0].Service, rows[1].Service, rows[2].Service)
	}
}
