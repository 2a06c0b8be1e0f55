package insights

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"time"
)

// Comment is a rating with a comment, for staff.
type Comment struct {
	ID         string    `json:"id"`
	Request    string    `json:"request"`
	Kind       string    `json:"kind"`
	Department string    `json:"department"`
	Service    string    `json:"service"`
	Rating     int       `json:"rating"`
	Comment    string    `json:"comment"`
	At         time.Time `json:"at"`
	// Answer is staff's answer to it (the resident reads it in the request's history)
	Answer     string     `json:"answer"`
	AnsweredAt *time.Time `json:"answered_at"`
}

// Names turn ids into what people read.
type Names struct {
	Departments map[string]string `json:"departments"`
	Services    map[string]string `json:"services"` // categories and permit types
	Staff       map[string]string `json:"staff"`
}

func name(m map[string]string, id, empty string) string {
	if id == "" {
		return empty
	}
	if n, ok := m[id]; ok {
		return n
	}
	return id
}

// Table is one table of the Insights page, as exported.
type Table struct {
	Header []string
	Rows   [][]string
}

// TableNames are the tables Tables makes, in page order.
var TableNames = []string{"trends", "monthly", "volume", "channels", "response", "permits", "satisfaction", "funnel", "quality",
	"workload_assignees", "workload_departments", "targets", "comments", "pages", "page_comments"}

func num(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func itoa(n int) string { return strconv.Itoa(n) }

// Tables lays the figures out as the page's tables; dates are ISO 8601 in loc.
func Tables(in *Insights, comments []Comment, n Names, loc *time.Location) map[string]Table {
	iso := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	cur := &in.Current
	out := map[string]Table{}

	tr := Table{Header: []string{"figure", "unit", "this period", "previous period", "change vs previous (%)",
		"same period last year", "change vs last year (%)", "in words"}}
	for _, t := range in.Trends {
		tr.Rows = append(tr.Rows, []string{t.Label, t.Unit, num(t.Value), num(t.Changes[0].Value), num(t.Changes[0].Percent),
			num(t.Changes[1].Value), num(t.Changes[1].Percent), t.Changes[0].Sentence})
	}
	out["trends"] = tr

	mo := Table{Header: []string{"month", "received", "closed", "median time to resolve (business hours)", "resolved on time (%)",
		"average satisfaction (of 5)", "median county time on a permit (days)"}}
	for _, m := range in.Series {
		mo.Rows = append(mo.Rows, []string{m.Month, itoa(m.Received), itoa(m.Closed), num(m.ResolveMedian), num(m.ResolveOnTime),
			num(m.Satisfaction), num(m.CountyMedian)})
	}
	out["monthly"] = mo

	v := cur.Volume
	out["volume"] = Table{Header: []string{"requests", "received", "closed", "open at period end"}, Rows: [][]string{
		{"problem reports", itoa(v.Reports.Received), itoa(v.Reports.Closed), itoa(v.Reports.OpenAtEnd)},
		{"permit applications", itoa(v.Permits.Received), itoa(v.Permits.Closed), itoa(v.Permits.OpenAtEnd)},
		{"all", itoa(v.Received), itoa(v.Closed), itoa(v.OpenAtEnd)},
	}}
	ch := Table{Header: []string{"channel", "received", "share (%)"}}
	for _, c := range v.ByChannel {
		ch.Rows = append(ch.Rows, []string{c.Channel, itoa(c.Received), num(c.Share)})
	}
	out["channels"] = ch

	r := cur.Response
	out["response"] = Table{Header: []string{"figure", "value", "counted"}, Rows: [][]string{
		{"median business hours to acknowledge", num(r.Acknowledge.Median), itoa(r.Acknowledge.N)},
		{"90th percentile business hours to acknowledge", num(r.Acknowledge.P90), itoa(r.Acknowledge.N)},
		{"median business hours to resolve", num(r.Resolve.Median), itoa(r.Resolve.N)},
		{"90th percentile business hours to resolve", num(r.Resolve.P90), itoa(r.Resolve.N)},
		{"acknowledged on time (%)", num(r.AckOnTime), itoa(r.AckCounted)},
		{"resolved on time (%)", num(r.ResolveOnTime), itoa(r.ResolveCounted)},
		{"overdue now", itoa(r.OverdueNow), ""},
		{"escalations to level 1 (assignee or queue)", itoa(r.EscalationLevel[0]), ""},
		{"escalations to level 2 (supervisors)", itoa(r.EscalationLevel[1]), ""},
		{"escalations to level 3 (directors)", itoa(r.EscalationLevel[2]), ""},
	}}

	pt := Table{Header: []string{"permit type", "decided", "approved", "approval rate (%)", "median county days", "90th percentile county days",
		"median applicant days", "90th percentile applicant days", "median days to decision", "within turnaround (%)"}}
	for _, p := range append([]PermitTimes{cur.Permits.All}, cur.Permits.ByType...) {
		pt.Rows = append(pt.Rows, []string{name(n.Services, p.Type, "all types"), itoa(p.Decided), itoa(p.Approved), num(p.ApprovalRate),
			num(p.County.Median), num(p.County.P90), num(p.Applicant.Median), num(p.Applicant.P90), num(p.Total.Median), num(p.WithinTurnaround)})
	}
	out["permits"] = pt

	s := cur.Satisfaction
	st := Table{Header: []string{"rating", "ratings"}}
	for i := 5; i >= 1; i-- {
		st.Rows = append(st.Rows, []string{itoa(i), itoa(s.Distribution[i-1])})
	}
	st.Rows = append(st.Rows, []string{"average", num(s.Average)}, []string{"4 or 5 (%)", num(s.Top2)},
		[]string{"closed requests rated (%)", num(s.ResponseRate)})
	out["satisfaction"] = st

	fu := Table{Header: []string{"permit type", "drafts started", "submitted", "decided", "issued", "abandoned",
		"stopped at the form", "stopped at the documents", "stopped when ready"}}
	for _, f := range cur.Funnel {
		fu.Rows = append(fu.Rows, []string{name(n.Services, f.Type, "all types"), itoa(f.Started), itoa(f.Submitted), itoa(f.Decided),
			itoa(f.Issued), itoa(f.Abandoned), itoa(f.StoppedAt["answers"]), itoa(f.StoppedAt["documents"]), itoa(f.StoppedAt["ready"])})
	}
	out["funnel"] = fu

	q := cur.Quality
	qt := Table{Header: []string{"figure", "of", "count", "share (%)"}, Rows: [][]string{
		{"resolved reports reopened", itoa(q.Resolved), itoa(q.Reopened), num(q.ReopenRate)},
		{"reports that were duplicates", itoa(q.Reports), itoa(q.Duplicates), num(q.DuplicateRate)},
	}}
	for _, c := range q.ChangesRequested {
		qt.Rows = append(qt.Rows, []string{"applications sent back for changes: " + name(n.Services, c.Type, "all types"),
			itoa(c.Submitted), itoa(c.Changed), num(c.Share)})
	}
	out["quality"] = qt

	load := func(header string, loads []Load, names map[string]string, empty string) Table {
		t := Table{Header: []string{header, "open", "overdue", "oldest since"}}
		for _, l := range loads {
			t.Rows = append(t.Rows, []string{name(names, l.ID, empty), itoa(l.Open), itoa(l.Overdue), iso(l.OldestAt)})
		}
		return t
	}
	out["workload_assignees"] = load("assignee", in.Workload.ByAssignee, n.Staff, "unassigned")
	out["workload_departments"] = load("department", in.Workload.ByDepartment, n.Departments, "none")

	tg := Table{Header: []string{"figure", "department", "category or type", "channel", "goal", "baseline", "current", "met", "in words"}}
	for _, p := range in.Targets {
		sc := p.Target.Scope
		met := "no"
		if p.Met {
			met = "yes"
		}
		tg.Rows = append(tg.Rows, []string{p.Label, name(n.Departments, sc.Department, "all"),
			name(n.Services, sc.Category+sc.Type, "all"), sc.Channel, num(p.Goal), num(p.Baseline), num(p.Current), met, p.Sentence})
	}
	out["targets"] = tg

	cm := Table{Header: []string{"date", "rating", "department", "category or type", "comment", "answered", "answer"}}
	for _, c := range comments {
		answered := ""
		if c.AnsweredAt != nil {
			answered = iso(*c.AnsweredAt)
		}
		cm.Rows = append(cm.Rows, []string{iso(c.At), itoa(c.Rating), name(n.Departments, c.Department, ""),
			name(n.Services, c.Service, ""), c.Comment, answered, c.Answer})
	}
	out["comments"] = cm

	page := func(kind, service string) string {
		switch kind {
		case HelpPage:
			return "help page"
		case PermitPage:
			return "permit type: " + name(n.Services, service, "unknown")
		case ReportPage:
			return "problem category: " + name(n.Services, service, "unknown")
		}
		return ""
	}
	pg := Table{Header: []string{"page", "about", "department", "helpful: yes", "helpful: no", "helpful (%)"}}
	pc := Table{Header: []string{"date", "page", "about", "helpful", "language", "comment"}}
	if in.Pages != nil {
		for _, r := range in.Pages.Pages {
			pg.Rows = append(pg.Rows, []string{r.Page, page(r.Kind, r.Service), name(n.Departments, r.Department, ""),
				itoa(r.Yes), itoa(r.No), num(r.Share)})
		}
		t := in.Pages.Totals
		pg.Rows = append(pg.Rows, []string{"all pages", "", "", itoa(t.Yes), itoa(t.No), num(t.Share)})
		for _, c := range in.Pages.Comments {
			helpful := "no"
			if c.Helpful {
				helpful = "yes"
			}
			pc.Rows = append(pc.Rows, []string{iso(c.At), c.Page, page(c.Kind, c.Service), helpful, c.Language, c.Comment})
		}
	}
	out["pages"] = pg
	out["page_comments"] = pc
	return out
}

// CSV writes a table for spreadsheets: UTF-8 with a byte-order mark (so
// Excel reads the accents), comma-separated, CRLF line ends. A cell that a
// spreadsheet would run as a formula is quoted with a leading apostrophe.
func (t Table) CSV() []byte {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	_ = w.Write(t.Header)
	for _, row := range t.Rows {
		safe := slices.Clone(row)
		for i, cell := range safe {
			if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '@' || (cell[0] == '-' && !isNumber(cell))) {
				safe[i] = "'" + cell
			}
		}
		_ = w.Write(safe)
	}
	w.Flush()
	return b.Bytes()
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
