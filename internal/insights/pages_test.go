package insights

import (
	"testing"
	"time"
)

func TestParsePage(t *testing.T) {
	for _, c := range []struct {
		page, kind, code string
		ok               bool
	}{
		{"/help.html", HelpPage, "", true},
		{"/service.html?permit=BLD", PermitPage, "BLD", true},
		{"/service.html?category=pothole", ReportPage, "pothole", true},
		{"/service.html", "", "", false},
		{"/service.html?permit=BLD&category=x", "", "", false},
		{"/help.html?x=1", "", "", false},
		{"/my.html", "", "", false},
		{"/service.html?permit=%zz", "", "", false},
	} {
		kind, code, ok := ParsePage(c.page)
		if kind != c.kind || code != c.code || ok != c.ok {
			t.Errorf("%s: %q %q %v", c.page, kind, code, ok)
		}
	}
}

// TestSummarizePages: per page and in total in the period, the previous
// period's totals, newest comments first, the scope's pages only.
func TestSummarizePages(t *testing.T) {
	loc := time.UTC
	p, _ := ParsePeriod("month", "2026-11", "", loc, time.Date(2026, 11, 20, 0, 0, 0, 0, loc))
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, loc) }
	help := PageAnswer{Page: "/help.html", Kind: HelpPage}
	bld := PageAnswer{Page: "/service.html?permit=BLD", Kind: PermitPage, Service: "bld", Department: "works"}
	with := func(a PageAnswer, helpful bool, comment string, at time.Time) PageAnswer {
		a.Helpful, a.Comment, a.At = helpful, comment, at
		return a
	}
	answers := []PageAnswer{
		with(help, true, "", day(11, 2)), with(help, false, "older", day(11, 3)), with(bld, true, "newer", day(11, 9)),
		with(bld, true, "", day(11, 10)), with(help, true, "", day(10, 31)), with(help, true, "", day(12, 1)),
	}
	all := SummarizePages(answers, Scope{}, p)
	if all.Totals.Yes != 3 || all.Totals.No != 1 || *all.Totals.Share != 75 || all.Previous.Yes != 1 || *all.Previous.Share != 100 {
		t.Errorf("totals %+v %+v", all.Totals, all.Previous)
	}
	if len(all.Pages) != 2 || all.Pages[0].Page != "/help.html" || all.Pages[0].Yes != 1 || all.Pages[0].No != 1 || *all.Pages[1].Share != 100 {
		t.Errorf("pages %+v", all.Pages)
	}
	if len(all.Comments) != 2 || all.Comments[0].Comment != "newer" {
		t.Errorf("comments %+v", all.Comments)
	}
	if all.Sentence != "75 % of the 4 answers found the page helpful (previous period: 100 % of 1)." {
		t.Errorf("%q", all.Sentence)
	}
	works := SummarizePages(answers, Scope{Department: "works"}, p)
	if works.Totals.Yes != 2 || len(works.Pages) != 1 || works.Previous.Share != nil ||
		works.Sentence != "100 % of the 2 answers found the page helpful (no answers in the previous period)." {
		t.Errorf("works %+v", works)
	}
	if n := SummarizePages(answers, Scope{Channel: Phone}, p); n.Totals.Yes+n.Totals.No != 0 || n.Pages == nil || n.Comments == nil ||
		n.Sentence != "Nobody answered “Was this page helpful?” in this period." {
		t.Errorf("phone %+v", n)
	}
	if n := SummarizePages(answers, Scope{Category: "bld"}, p); n.Totals.Yes != 0 {
		t.Errorf("a category is not a permit type: %+v", n)
	}
}
