package e2e

import "testing"

// TestInsightsPage: a director opens Insights on the demo county, filters
// it to a department and sees the figures in tables with their CSV, the
// trends in words, targets and "how we count"; a clerk sees their own
// department's figures. axe finds nothing on either.
func TestInsightsPage(t *testing.T) {
	p := newPage(t, 1280)
	p.staffSignIn("director@pinecounty.example")
	p.open("/staff/insights.html")
	p.waitText("#report", "Response times")
	p.waitText("#report", "Download volume as CSV")
	p.waitText("main", "How we count")
	p.axe("staff insights (director)")
	p.shot("staff_insights")
	p.choose("#period", "year")
	p.click("#filters button[type=submit]")
	p.waitText("#status", "Figures as of")
	p.waitText("#report", "All departments")

	// a target, and its progress
	p.choose("#metric", "closed")
	p.fill("#value", "5")
	p.click("#target-form button[type=submit]")
	p.waitText("#report", "Requests closed is ")
	p.waitText("#report", "the target is at least 5:")
	p.axe("staff insights (target set)")

	c := newPage(t, 1280)
	c.staffSignIn("works@pinecounty.example")
	c.open("/staff/insights.html")
	c.waitText("#report", "Department: Public Works")
	c.axe("staff insights (clerk)")
}
