package insights

import (
	"fmt"
	"time"
)

// Target is a goal a director set for one figure in one scope: an absolute
// value ("satisfaction at least 4.3", "resolve on time at least 90 %") or a
// change against a baseline year ("median county time −20 % vs 2026").
type Target struct {
	ID     string `json:"id"`
	Metric string `json:"metric"`
	Scope  Scope  `json:"scope"`
	// Comparison is at_least or at_most; empty: whichever is better for the metric.
	Comparison    string   `json:"comparison"`
	Value         *float64 `json:"value"`          // the goal itself, or
	ChangePercent *float64 `json:"change_percent"` // the goal as a change against
	BaselineYear  int      `json:"baseline_year"`  // this year's figure
	Note          string   `json:"note"`
}

// Progress is where a target stands in a period.
type Progress struct {
	Target   Target   `json:"target"`
	Label    string   `json:"label"`
	Current  *float64 `json:"current"`
	Baseline *float64 `json:"baseline"`
	Goal     *float64 `json:"goal"`
	Met      bool     `json:"met"`
	// AtRisk: not met, or no figure to tell.
	AtRisk bool `json:"at_risk"`
	// Progress is how much of the way from the baseline to the goal is
	// done, in % (relative targets only).
	Progress *float64 `json:"progress"`
	Sentence string   `json:"sentence"`
}

// Comparisons of a target.
const (
	AtLeast = "at_least"
	AtMost  = "at_most"
)

// Check says whether a target can be measured; the error is for the director.
func (t Target) Check() error {
	m, ok := MetricByKey(t.Metric)
	if !ok {
		return fmt.Errorf("there is no figure %q", t.Metric)
	}
	if t.Comparison == "" && m.Better == 0 {
		return fmt.Errorf("say whether %s should be at least or at most the goal", m.Label)
	}
	if (t.Value == nil) == (t.ChangePercent == nil) {
		return fmt.Errorf("give either a goal value or a change in percent against a baseline year")
	}
	if t.ChangePercent != nil && t.BaselineYear == 0 {
		return fmt.Errorf("a change in percent needs the baseline year it is measured against")
	}
	return nil
}

// Measure computes a target's progress in window w, with baseline the
// figures of the baseline year (nil for an absolute target).
func (t Target) Measure(facts []Fact, w Window, now time.Time, loc *time.Location) Progress {
	m, _ := MetricByKey(t.Metric)
	pr := Progress{Target: t, Label: m.Label}
	cur := Compute(facts, t.Scope, w, now)
	pr.Current = m.Value(&cur)
	cmp := t.Comparison
	if cmp == "" {
		cmp = AtLeast
		if m.Better < 0 {
			cmp = AtMost
		}
	}
	switch {
	case t.Value != nil:
		pr.Goal = t.Value
	case t.ChangePercent != nil:
		base := Compute(facts, t.Scope, Year(t.BaselineYear, loc), now)
		pr.Baseline = m.Value(&base)
		if pr.Baseline != nil {
			pr.Goal = round(*pr.Baseline*(1+*t.ChangePercent/100), 2)
		}
	}
	word := map[string]string{AtLeast: "at least", AtMost: "at most"}[cmp]
	if pr.Goal == nil || pr.Current == nil {
		pr.AtRisk = true
		pr.Sentence = fmt.Sprintf("%s: no figure yet to measure the target against.", m.Label)
		return pr
	}
	g, c := *pr.Goal, *pr.Current
	pr.Met = (cmp == AtLeast && c >= g) || (cmp == AtMost && c <= g)
	pr.AtRisk = !pr.Met
	if pr.Baseline != nil && *pr.Baseline != g {
		pr.Progress = round(100*(*pr.Baseline-c)/(*pr.Baseline-g), 0)
	}
	state := "met"
	if !pr.Met {
		state = "not met yet"
	}
	pr.Sentence = fmt.Sprintf("%s is %s; the target is %s %s: %s.", m.Label, m.Format(c), word, m.Format(g), state)
	return pr
}
