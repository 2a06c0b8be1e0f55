package e2e

import (
	"strings"
	"testing"
)

// charts waits until every monthly chart of the Insights page is drawn (a
// uPlot canvas in each figure, hidden from screen readers) and returns how
// many there are.
func (p *page) charts() int {
	p.t.Helper()
	p.waitFor(".chart .chart-plot canvas")
	return eval[int](p, `(() => {
		const figs = [...document.querySelectorAll("#report .chart")];
		return figs.every((f) => f.querySelector(".chart-plot[aria-hidden=true] .uplot canvas") && f.querySelector(".u-legend")) ? figs.length : -1;
	})()`)
}

// TestInsightsPage: a director opens Insights on the demo county, filters
// it to a department and sees the figures in tables with their CSV, the
// trends in words, targets and "how we count"; a clerk sees their own
// department's figures. axe finds nothing on either.
func TestInsightsPage(t *testing.T) {
	p := newPage(t, 1280)
	p.staffSignIn("director@pinecounty.example")
	// no target is set yet: the staff home lists none
	p.open("/staff/")
	p.waitText("#summary", "item")
	if eval[bool](p, `!document.querySelector("#targets-at-risk").hidden`) {
		t.Error("the staff home shows targets at risk before any target is set")
	}
	p.open("/staff/insights.html")
	p.waitText("#report", "Response times")
	p.waitText("#report", "Download volume as CSV")
	p.waitText("main", "How we count")
	// a chart per key figure, and the same numbers in the month-by-month table
	if n := p.charts(); n != 6 {
		t.Fatalf("%d charts drawn, want 6 (one per key figure)", n)
	}
	if rows := eval[int](p, `[...document.querySelectorAll("#report table")].find((t) => t.caption && t.caption.textContent === "Month by month").tBodies[0].rows.length`); rows != 12 {
		t.Errorf("the month-by-month table has %d rows, want 12", rows)
	}
	p.axe("staff insights (director)")
	p.shot("staff_insights")
	// the library draws within the CSP (no inline script or style is refused)
	eval[bool](p, `(window.cspRefused = [], document.addEventListener("securitypolicyviolation", (e) => cspRefused.push(e.violatedDirective + " " + e.blockedURI)), true)`)
	p.choose("#period", "year")
	p.click("#filters button[type=submit]")
	p.waitText("#status", "Figures as of")
	p.waitText("#report", "All departments")
	if n := p.charts(); n != 6 {
		t.Fatalf("%d charts drawn for the year, want 6", n)
	}
	if refused := eval[[]string](p, "cspRefused"); len(refused) > 0 {
		t.Errorf("the CSP refused: %s", strings.Join(refused, "; "))
	}
	p.axe("staff insights (year, charts)")

	// a target, and its progress
	p.choose("#metric", "closed")
	p.fill("#value", "5")
	p.click("#target-form button[type=submit]")
	p.waitText("#report", "Requests closed is ")
	p.waitText("#report", "the target is at least 5:")
	p.axe("staff insights (target set)")
	// a target no month can meet: the staff home lists it above the queue
	p.choose("#metric", "satisfaction")
	p.fill("#value", "5.1")
	p.click("#target-form button[type=submit]")
	p.waitText("#report", "At risk: Average satisfaction")
	p.open("/staff/")
	p.waitText("#targets-at-risk", "Targets at risk this month")
	p.waitText("#targets-at-risk", "Average satisfaction")
	p.axe("staff home (targets at risk)")

	c := newPage(t, 1280)
	c.staffSignIn("works@pinecounty.example")
	c.open("/staff/insights.html")
	c.waitText("#report", "Department: Public Works")
	if n := c.charts(); n != 6 {
		t.Errorf("the clerk sees %d charts, want 6", n)
	}
	c.axe("staff insights (clerk)")
}
