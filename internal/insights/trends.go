package insights

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Metric is one figure that can be compared over time and given a target.
type Metric struct {
	Key    string
	Label  string // the subject of a sentence: "Median time to resolve"
	Unit   string // "business hours", "days", "%", "" (a count), "of 5"
	Better int    // +1 higher is better, -1 lower is better, 0 neither
	value  func(*Figures) *float64
}

func count(n int) *float64 { v := float64(n); return &v }

// Metrics are the figures trends and targets know, in the order shown.
var Metrics = []Metric{
	{"received", "Requests received", "", 0, func(f *Figures) *float64 { return count(f.Volume.Received) }},
	{"closed", "Requests closed", "", +1, func(f *Figures) *float64 { return count(f.Volume.Closed) }},
	{"open_at_end", "Requests open at the end of the period", "", -1, func(f *Figures) *float64 { return count(f.Volume.OpenAtEnd) }},
	{"online_share", "Share of requests made online", "%", +1, func(f *Figures) *float64 { return f.Volume.OnlineShare }},
	{"ack_median", "Median time to acknowledge", "business hours", -1, func(f *Figures) *float64 { return f.Response.Acknowledge.Median }},
	{"ack_p90", "90th percentile time to acknowledge", "business hours", -1, func(f *Figures) *float64 { return f.Response.Acknowledge.P90 }},
	{"resolve_median", "Median time to resolve", "business hours", -1, func(f *Figures) *float64 { return f.Response.Resolve.Median }},
	{"resolve_p90", "90th percentile time to resolve", "business hours", -1, func(f *Figures) *float64 { return f.Response.Resolve.P90 }},
	{"ack_on_time", "Reports acknowledged on time", "%", +1, func(f *Figures) *float64 { return f.Response.AckOnTime }},
	{"resolve_on_time", "Reports resolved on time", "%", +1, func(f *Figures) *float64 { return f.Response.ResolveOnTime }},
	{"escalations", "Escalations", "", -1, func(f *Figures) *float64 {
		e := f.Response.EscalationLevel
		return count(e[0] + e[1] + e[2])
	}},
	{"county_median", "Median county time on a permit", "days", -1, func(f *Figures) *float64 { return f.Permits.All.County.Median }},
	{"county_p90", "90th percentile county time on a permit", "days", -1, func(f *Figures) *float64 { return f.Permits.All.County.P90 }},
	{"applicant_median", "Median applicant time on a permit", "days", -1, func(f *Figures) *float64 { return f.Permits.All.Applicant.Median }},
	{"approval_rate", "Permit approval rate", "%", 0, func(f *Figures) *float64 { return f.Permits.All.ApprovalRate }},
	{"within_turnaround", "Permit decisions within the promised turnaround", "%", +1, func(f *Figures) *float64 { return f.Permits.All.WithinTurnaround }},
	{"satisfaction", "Average satisfaction", "of 5", +1, func(f *Figures) *float64 { return f.Satisfaction.Average }},
	{"satisfied_share", "Ratings of 4 or 5", "%", +1, func(f *Figures) *float64 { return f.Satisfaction.Top2 }},
	{"response_rate", "Closed requests rated", "%", +1, func(f *Figures) *float64 { return f.Satisfaction.ResponseRate }},
	{"reopen_rate", "Resolved reports reopened", "%", -1, func(f *Figures) *float64 { return f.Quality.ReopenRate }},
	{"duplicate_rate", "Reports that were duplicates", "%", -1, func(f *Figures) *float64 { return f.Quality.DuplicateRate }},
	{"changes_share", "Applications sent back for changes", "%", -1, func(f *Figures) *float64 {
		if len(f.Quality.ChangesRequested) == 0 {
			return nil
		}
		return f.Quality.ChangesRequested[0].Share
	}},
	{"abandoned", "Abandoned drafts", "", -1, func(f *Figures) *float64 {
		if len(f.Funnel) == 0 {
			return nil
		}
		return count(f.Funnel[0].Abandoned)
	}},
}

// MetricByKey finds a metric.
func MetricByKey(key string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}

// Value is the metric's value in f (nil when there is none, e.g. no report
// was resolved).
func (m Metric) Value(f *Figures) *float64 { return m.value(f) }

// Format writes a value with its unit: "25 business hours", "78.5 %", "4.25 of 5", "12".
func (m Metric) Format(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	switch m.Unit {
	case "":
		return s
	case "%":
		return s + " %"
	case "business hours":
		if v == 1 {
			return s + " business hour"
		}
	case "days":
		if v == 1 {
			return s + " day"
		}
	}
	return s + " " + m.Unit
}

// Change is a figure against an earlier period.
type Change struct {
	Against  string   `json:"against"` // previous, last_year
	Value    *float64 `json:"value"`
	Percent  *float64 `json:"percent"`  // % change, rounded to a whole number; nil when not computable
	Arrow    string   `json:"arrow"`    // up, down, flat
	Better   *bool    `json:"better"`   // nil when the direction is neither good nor bad
	Sentence string   `json:"sentence"` // "Median time to resolve fell 18 % (from 31 to 25 business hours)."
}

// Trend is one figure now and against the previous period and last year.
type Trend struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Unit    string   `json:"unit"`
	Value   *float64 `json:"value"`
	Changes []Change `json:"changes"`
}

// Compare describes how a figure moved from before to now.
func (m Metric) Compare(against string, before, now *float64) Change {
	c := Change{Against: against, Value: before, Arrow: "flat"}
	when := map[string]string{"previous": "the previous period", "last_year": "the same period last year"}[against]
	switch {
	case now == nil:
		c.Sentence = fmt.Sprintf("%s: no figure for this period.", m.Label)
		return c
	case before == nil:
		c.Sentence = fmt.Sprintf("%s: %s; no figure for %s.", m.Label, m.Format(*now), when)
		return c
	}
	b, n := *before, *now
	if n > b {
		c.Arrow = "up"
	} else if n < b {
		c.Arrow = "down"
	}
	if m.Better != 0 && c.Arrow != "flat" {
		better := (c.Arrow == "up") == (m.Better > 0)
		c.Better = &better
	}
	if c.Arrow == "flat" {
		c.Percent = round(0, 0)
		c.Sentence = fmt.Sprintf("%s did not change (%s).", m.Label, m.Format(n))
		return c
	}
	verb := map[string]string{"up": "rose", "down": "fell"}[c.Arrow]
	if b == 0 {
		c.Sentence = fmt.Sprintf("%s %s from 0 to %s.", m.Label, verb, m.Format(n))
		return c
	}
	pct := math.Round(100 * (n - b) / math.Abs(b))
	c.Percent = &pct
	from := m
	if m.Unit != "%" {
		from.Unit = "" // "from 31 to 25 business hours"
	}
	c.Sentence = fmt.Sprintf("%s %s %s %% (from %s to %s).", m.Label, verb, strconv.FormatFloat(math.Abs(pct), 'f', 0, 64),
		from.Format(b), m.Format(n))
	return c
}

// Trends compares every metric of now with previous and last year.
func Trends(now, previous, lastYear *Figures) []Trend {
	out := make([]Trend, 0, len(Metrics))
	for _, m := range Metrics {
		v := m.Value(now)
		out = append(out, Trend{Key: m.Key, Label: m.Label, Unit: m.Unit, Value: v, Changes: []Change{
			m.Compare("previous", m.Value(previous), v), m.Compare("last_year", m.Value(lastYear), v)}})
	}
	return out
}

// Load is the open work of one assignee or department.
type Load struct {
	ID      string `json:"id"` // the assignee or department ("" unassigned)
	Open    int    `json:"open"`
	Overdue int    `json:"overdue"`
	Oldest  int64  `json:"-"`
	// OldestAt is when the oldest open item arrived.
	OldestAt time.Time `json:"oldest_at"`
}

// Workload is the open work now per assignee and per department, the
// longest-waiting first.
func Workload(facts []Fact, s Scope, now time.Time) (byAssignee, byDepartment []Load) {
	people, depts := map[string]*Load{}, map[string]*Load{}
	nowU := now.Unix()
	add := func(m map[string]*Load, id string, f *Fact) {
		l := m[id]
		if l == nil {
			l = &Load{ID: id, Oldest: math.MaxInt64}
			m[id] = l
		}
		l.Open++
		if due := f.PendingDue(); due != 0 && due < nowU {
			l.Overdue++
		}
		l.Oldest = min(l.Oldest, f.Received)
	}
	for i := range facts {
		f := &facts[i]
		if !f.IsOpen() || f.Received == 0 || !s.Match(f) {
			continue
		}
		add(people, f.Assignee, f)
		add(depts, f.Department, f)
	}
	list := func(m map[string]*Load) []Load {
		out := make([]Load, 0, len(m))
		for _, l := range m {
			l.OldestAt = time.Unix(l.Oldest, 0).UTC()
			out = append(out, *l)
		}
		sort.Slice(out, func(i, j int) bool {
			return out[i].Oldest < out[j].Oldest || (out[i].Oldest == out[j].Oldest && strings.Compare(out[i].ID, out[j].ID) < 0)
		})
		return out
	}
	return list(people), list(depts)
}
