package insights

import (
	"net/url"
	"sort"
	"strings"
	"time"
)

// The site's own satisfaction: the answers to "Was this page helpful?" on
// the help page and the service pages (anonymous; comments for staff only).

// Pages the answers are about.
const (
	HelpPage   = "help"   // /help.html
	PermitPage = "permit" // /service.html?permit=CODE
	ReportPage = "report" // /service.html?category=code
)

// ParsePage says what a page answered about is: its kind and the permit
// type's or category's code ("" for the help page). ok is false for a page
// that is none of these.
func ParsePage(page string) (kind, code string, ok bool) {
	path, query, _ := strings.Cut(page, "?")
	q, err := url.ParseQuery(query)
	switch {
	case err != nil:
		return "", "", false
	case path == "/help.html" && query == "":
		return HelpPage, "", true
	case path == "/service.html" && len(q) == 1 && q.Get("permit") != "":
		return PermitPage, q.Get("permit"), true
	case path == "/service.html" && len(q) == 1 && q.Get("category") != "":
		return ReportPage, q.Get("category"), true
	}
	return "", "", false
}

// PageAnswer is one answer, with what its page is about (resolved by the
// caller from the page's code).
type PageAnswer struct {
	Page       string
	Kind       string // HelpPage, PermitPage, ReportPage ("" unknown)
	Service    string // the permit type's or category's id ("" none)
	Department string // the service's department ("" none)
	Helpful    bool
	Comment    string
	Language   string
	At         time.Time
}

// InScope reports whether an answer is in the filters a caller chose: a
// department, category or permit type keeps its service pages only (the
// help page belongs to none); the answers came online, so another channel
// keeps none.
func (a PageAnswer) InScope(s Scope) bool {
	switch {
	case s.Channel != "" && s.Channel != Online:
		return false
	case s.Department != "" && a.Department != s.Department:
		return false
	case s.Category != "" && (a.Kind != ReportPage || a.Service != s.Category):
		return false
	case s.Type != "" && (a.Kind != PermitPage || a.Service != s.Type):
		return false
	}
	return true
}

// PageRow is the answers about one page.
type PageRow struct {
	Page       string   `json:"page"`
	Kind       string   `json:"kind"`
	Service    string   `json:"service"`
	Department string   `json:"department"`
	Yes        int      `json:"yes"`
	No         int      `json:"no"`
	Share      *float64 `json:"helpful_share"` // % answering yes
}

// PageTotals are the answers about every page in scope.
type PageTotals struct {
	Yes   int      `json:"yes"`
	No    int      `json:"no"`
	Share *float64 `json:"helpful_share"`
}

// PageComment is an answer's comment, for staff.
type PageComment struct {
	Page     string    `json:"page"`
	Kind     string    `json:"kind"`
	Service  string    `json:"service"`
	Helpful  bool      `json:"helpful"`
	Comment  string    `json:"comment"`
	Language string    `json:"language"`
	At       time.Time `json:"at"`
}

// PageFeedback is the site's satisfaction in a period, with the previous
// period's totals to compare.
type PageFeedback struct {
	Window   Window        `json:"window"`
	Totals   PageTotals    `json:"totals"`
	Previous PageTotals    `json:"previous"`
	Pages    []PageRow     `json:"pages"`    // most answers first
	Comments []PageComment `json:"comments"` // newest first, at most MaxPageComments
	// Sentence says it in words: "78 % of the answers found the page helpful (previous period: 70 %)."
	Sentence string `json:"sentence"`
}

// MaxPageComments is how many comments PageFeedback carries.
const MaxPageComments = 50

// SummarizePages counts the answers in scope given in p's current period
// (per page, and in total against the previous period) and keeps the
// newest comments. The answers may come in any order.
func SummarizePages(answers []PageAnswer, s Scope, p Period) PageFeedback {
	out := PageFeedback{Window: p.Current, Pages: []PageRow{}, Comments: []PageComment{}}
	rows := map[string]*PageRow{}
	var comments []PageComment
	for _, a := range answers {
		if !a.InScope(s) {
			continue
		}
		at := a.At.Unix()
		if p.Previous.contains(at) {
			tally(&out.Previous.Yes, &out.Previous.No, a.Helpful)
		}
		if !p.Current.contains(at) {
			continue
		}
		tally(&out.Totals.Yes, &out.Totals.No, a.Helpful)
		r := rows[a.Page]
		if r == nil {
			r = &PageRow{Page: a.Page, Kind: a.Kind, Service: a.Service, Department: a.Department}
			rows[a.Page] = r
		}
		tally(&r.Yes, &r.No, a.Helpful)
		if a.Comment != "" {
			comments = append(comments, PageComment{Page: a.Page, Kind: a.Kind, Service: a.Service, Helpful: a.Helpful,
				Comment: a.Comment, Language: a.Language, At: a.At})
		}
	}
	for _, r := range rows {
		r.Share = percent(r.Yes, r.Yes+r.No)
		out.Pages = append(out.Pages, *r)
	}
	sort.Slice(out.Pages, func(i, j int) bool {
		a, b := out.Pages[i], out.Pages[j]
		return a.Yes+a.No > b.Yes+b.No || (a.Yes+a.No == b.Yes+b.No && a.Page < b.Page)
	})
	sort.SliceStable(comments, func(i, j int) bool { return comments[i].At.After(comments[j].At) })
	if len(comments) > MaxPageComments {
		comments = comments[:MaxPageComments]
	}
	out.Comments = append(out.Comments, comments...)
	for _, t := range []*PageTotals{&out.Totals, &out.Previous} {
		t.Share = percent(t.Yes, t.Yes+t.No)
	}
	out.Sentence = pageSentence(out.Totals, out.Previous)
	return out
}

func tally(yes, no *int, helpful bool) {
	if helpful {
		*yes++
	} else {
		*no++
	}
}

func pageSentence(now, before PageTotals) string {
	if now.Share == nil {
		return "Nobody answered “Was this page helpful?” in this period."
	}
	m := Metric{Label: "", Unit: "%"}
	s := m.Format(*now.Share) + " of the " + itoa(now.Yes+now.No) + " answers found the page helpful"
	if now.Yes+now.No == 1 {
		s = m.Format(*now.Share) + " of the 1 answer found the page helpful"
	}
	if before.Share == nil {
		return s + " (no answers in the previous period)."
	}
	return s + " (previous period: " + m.Format(*before.Share) + " of " + itoa(before.Yes+before.No) + ")."
}
