package insights

import (
	"sort"
	"time"
)

// Month is one calendar month of the key figures, for the charts. Each
// figure is counted exactly as in Compute for that month's window.
type Month struct {
	Month    string `json:"month"` // YYYY-MM
	Window   Window `json:"window"`
	Received int    `json:"received"`
	Closed   int    `json:"closed"`
	// Median business hours to resolve, of the reports resolved in the month.
	ResolveMedian *float64 `json:"resolve_median"`
	Resolved      int      `json:"resolved"`
	// % of the reports resolved in the month (with a deadline) resolved on time.
	ResolveOnTime  *float64 `json:"resolve_on_time"`
	ResolveCounted int      `json:"resolve_counted"`
	// Average rating given in the month.
	Satisfaction *float64 `json:"satisfaction"`
	Ratings      int      `json:"ratings"`
	// Median county days of the permits decided in the month.
	CountyMedian *float64 `json:"county_median"`
	Decided      int      `json:"decided"`
}

// MaxSeriesMonths is the most months a series has (a custom period of
// MaxCustomDays touches at most 38 months).
const MaxSeriesMonths = 38

// SeriesMonths are the months the charts show for a period: the calendar
// months the current period touches when it touches more than one (a
// quarter, a year, a long custom period), else the 12 months ending with
// the period's month. Months that start after now are left out (a year in
// progress shows its months so far). Months are in the period's zone.
func SeriesMonths(p Period, now time.Time) []Window {
	loc := p.Current.From.Location()
	first := monthStart(p.Current.From)
	last := monthStart(p.Current.To.Add(-time.Second))
	if !last.After(first) {
		first = first.AddDate(0, -11, 0)
	}
	var out []Window
	for m := first; !m.After(last) && len(out) < MaxSeriesMonths; m = m.AddDate(0, 1, 0) {
		if m.After(now) {
			break
		}
		out = append(out, Window{m, time.Date(m.Year(), m.Month()+1, 1, 0, 0, 0, 0, loc)})
	}
	return out
}

func monthStart(t time.Time) time.Time {
	y, m, _ := t.Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, t.Location())
}

// Series computes the key figures month by month in one pass over the
// facts (12 calls of Compute would read every fact 12 times).
func Series(facts []Fact, s Scope, months []Window) []Month {
	out := make([]Month, len(months))
	if len(months) == 0 {
		return out
	}
	starts := make([]int64, len(months))
	for i, w := range months {
		starts[i] = w.From.Unix()
		out[i] = Month{Month: w.From.Format("2006-01"), Window: w}
	}
	end := months[len(months)-1].To.Unix()
	// index is the month t falls in, -1 outside the months (months are contiguous)
	index := func(t int64) int {
		if t == 0 || t < starts[0] || t >= end {
			return -1
		}
		return sort.Search(len(starts), func(i int) bool { return starts[i] > t }) - 1
	}
	resolve := make([][]float64, len(months))
	county := make([][]float64, len(months))
	onTime := make([]int, len(months))
	ratingSum := make([]int, len(months))
	for i := range facts {
		f := &facts[i]
		if !s.Match(f) {
			continue
		}
		if m := index(f.Received); m >= 0 {
			out[m].Received++
		}
		// closed in a month and still closed at its end (closedIn), once a month
		last := -1
		for _, sp := range f.Closed {
			m := index(sp.From)
			if m < 0 || m == last {
				continue
			}
			if sp.To == 0 || sp.To >= months[m].To.Unix() {
				out[m].Closed++
				last = m
			}
		}
		if f.Rating > 0 {
			if m := index(f.RatedAt); m >= 0 {
				out[m].Ratings++
				ratingSum[m] += f.Rating
			}
		}
		if f.Kind == Report {
			if m := index(f.ResolvedAt); m >= 0 {
				resolve[m] = append(resolve[m], hours(f.ResolveWork))
				if f.ResolveDue != 0 {
					out[m].ResolveCounted++
					if f.ResolvedAt <= f.ResolveDue {
						onTime[m]++
					}
				}
			}
		} else if m := index(f.DecidedAt); m >= 0 {
			county[m] = append(county[m], days(f.CountyTime))
		}
	}
	for i := range out {
		o := &out[i]
		r := stat(resolve[i], 1)
		o.ResolveMedian, o.Resolved = r.Median, r.N
		o.ResolveOnTime = percent(onTime[i], o.ResolveCounted)
		if o.Ratings > 0 {
			o.Satisfaction = round(float64(ratingSum[i])/float64(o.Ratings), 2)
		}
		c := stat(county[i], 1)
		o.CountyMedian, o.Decided = c.Median, c.N
	}
	return out
}
