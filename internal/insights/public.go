package insights

import (
	"slices"
	"sort"
)

// MinPublicCount is the smallest count a public figure is shown for: a
// cell counting fewer requests (but some) is hidden, so that nobody can be
// recognised in it.
const MinPublicCount = 5

// Cell is one public figure and how many requests it counts. Value is nil
// when there is nothing to count or when the cell is hidden.
type Cell struct {
	N      int      `json:"n"`
	Value  *float64 `json:"value"`
	Hidden bool     `json:"hidden,omitempty"` // fewer than MinPublicCount requests
}

// PublicRow is the public figures of one problem category or permit type.
type PublicRow struct {
	Kind       string `json:"kind"`    // Report or Permit
	Service    string `json:"service"` // the category or permit type id
	Department string `json:"department"`
	Received   Cell   `json:"received"`
	// Resolved: reports resolved (the resolution that stands), applications decided
	Resolved Cell `json:"resolved"`
	// MedianDays: calendar days from filing (first submission) to resolution (decision)
	MedianDays Cell `json:"median_days"`
	// OnTime: % of reports resolved by their deadline; % of applications
	// decided within the type's promised turnaround (county time)
	OnTime    Cell `json:"on_time"`
	AvgRating Cell `json:"average_rating"` // ratings given in the window
}

// PublicStats are the public figures of window w per problem category and
// permit type, reports first, each kind in the order of its service ids.
// Cells counting 1 to MinPublicCount-1 requests are hidden (N is cleared
// too, so that the count itself says nothing).
func PublicStats(facts []Fact, w Window) []PublicRow {
	type acc struct {
		row                PublicRow
		days               []float64
		onTime, onTimeN    int
		ratingSum, ratings int
	}
	rows := map[[2]string]*acc{}
	for i := range facts {
		f := &facts[i]
		key := [2]string{f.Kind, f.Service}
		a := rows[key]
		if a == nil {
			a = &acc{row: PublicRow{Kind: f.Kind, Service: f.Service, Department: f.Department}}
			rows[key] = a
		}
		if w.contains(f.Received) {
			a.row.Received.N++
		}
		done, due := f.ResolvedAt, f.ResolveDue
		onTime := f.ResolvedAt != 0 && f.ResolvedAt <= f.ResolveDue
		if f.Kind == Permit {
			done, due = f.DecidedAt, int64(f.TurnaroundDays)
			onTime = f.CountyTime <= int64(f.TurnaroundDays)*86400
		}
		if w.contains(done) && f.Received != 0 {
			a.row.Resolved.N++
			a.days = append(a.days, days(done-f.Received))
			if due != 0 {
				a.onTimeN++
				if onTime {
					a.onTime++
				}
			}
		}
		if f.Rating > 0 && w.contains(f.RatedAt) {
			a.ratings++
			a.ratingSum += f.Rating
		}
	}
	out := make([]PublicRow, 0, len(rows))
	for _, a := range rows {
		r := a.row
		r.Received = cell(r.Received.N, float64(r.Received.N))
		r.Resolved = cell(r.Resolved.N, float64(r.Resolved.N))
		r.MedianDays = Cell{N: len(a.days), Value: stat(a.days, 1).Median}
		r.MedianDays = hide(r.MedianDays)
		r.OnTime = hide(Cell{N: a.onTimeN, Value: percent(a.onTime, a.onTimeN)})
		r.AvgRating = Cell{N: a.ratings}
		if a.ratings > 0 {
			r.AvgRating.Value = round(float64(a.ratingSum)/float64(a.ratings), 1)
		}
		r.AvgRating = hide(r.AvgRating)
		if r.Received.N == 0 && r.Resolved.N == 0 && r.AvgRating.N == 0 && !r.Received.Hidden && !r.Resolved.Hidden && !r.AvgRating.Hidden {
			continue // nothing happened in the window
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind == Report
		}
		return a.Service < b.Service
	})
	return slices.Clip(out)
}

func cell(n int, v float64) Cell { return hide(Cell{N: n, Value: &v}) }

// hide hides a cell of 1 … MinPublicCount-1 requests.
func hide(c Cell) Cell {
	if c.N > 0 && c.N < MinPublicCount {
		return Cell{Hidden: true}
	}
	return c
}
