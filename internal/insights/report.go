package insights

import "time"

// Insights is everything the Insights page shows for a period and scope.
type Insights struct {
	Period   Period    `json:"period"`
	Scope    Scope     `json:"scope"`
	Now      time.Time `json:"now"`
	Current  Figures   `json:"current"`
	Previous Figures   `json:"previous"`
	LastYear Figures   `json:"last_year"`
	Trends   []Trend   `json:"trends"`
	Workload struct {
		ByAssignee   []Load `json:"by_assignee"`
		ByDepartment []Load `json:"by_department"`
	} `json:"workload"`
	Targets []Progress `json:"targets"`
	// Series are the key figures month by month (SeriesMonths says which months).
	Series []Month `json:"series"`
	// Pages are the answers to "Was this page helpful?" (SummarizePages;
	// the caller adds them: they are not requests).
	Pages *PageFeedback `json:"pages"`
}

// Build computes the figures of p's three windows in scope s, their trends
// and the open work now.
func Build(facts []Fact, s Scope, p Period, now time.Time) Insights {
	in := Insights{Period: p, Scope: s, Now: now.UTC()}
	in.Current = Compute(facts, s, p.Current, now)
	in.Previous = Compute(facts, s, p.Previous, now)
	if p.LastYear == p.Previous {
		in.LastYear = in.Previous
	} else {
		in.LastYear = Compute(facts, s, p.LastYear, now)
	}
	in.Trends = Trends(&in.Current, &in.Previous, &in.LastYear)
	in.Workload.ByAssignee, in.Workload.ByDepartment = Workload(facts, s, now)
	in.Series = Series(facts, s, SeriesMonths(p, now))
	return in
}
