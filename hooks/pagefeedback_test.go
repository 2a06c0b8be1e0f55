package hooks

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/insights"
)

// pageFeedbackA is the access matrix's "was this page helpful?" answer.
const pageFeedbackA = "pagefeedback001"

func addPageFeedbackFixture(app core.App) error {
	col, err := app.FindCollectionByNameOrId("page_feedback")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Id = pageFeedbackA
	r.Load(map[string]any{"page": "/service.html?permit=TX", "helpful": false, "comment": "Needs more about fees", "language": "en"})
	return app.Save(r)
}

// TestPageFeedback: anyone answers about the help and service pages, at
// most 5 times a minute from one address; other pages and long comments
// are refused with a reason.
func TestPageFeedback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := func(body string, ip string) response {
		req := httptest.NewRequest(http.MethodPost, "/api/collections/page_feedback/records", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = ip + ":40000"
		return e.send(req, roleAnon)
	}
	for _, c := range []struct {
		name, body string
		status     int
	}{
		{"another page", `{"page":"/my.html","helpful":true}`, 400},
		{"a page with more", `{"page":"/service.html?permit=TX&x=1","helpful":true}`, 400},
		{"comment too long", `{"page":"/help.html","helpful":false,"comment":"` + strings.Repeat("a", 1001) + `"}`, 400},
	} {
		if res := post(c.body, "198.51.100.9"); res.Status != c.status {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}
	for i := range 5 {
		if res := post(`{"page":"/service.html?category=cat-x","helpful":true,"comment":"Clear"}`, "198.51.100.7"); res.Status != 200 {
			t.Fatalf("answer %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	if res := post(`{"page":"/help.html","helpful":true}`, "198.51.100.7"); res.Status != http.StatusTooManyRequests {
		t.Errorf("sixth answer in a minute: %d %s", res.Status, res.Body)
	}
	if res := post(`{"page":"/help.html","helpful":true}`, "198.51.100.8"); res.Status != 200 {
		t.Errorf("another address: %d %s", res.Status, res.Body)
	}
	if n := e.count(t, "page_feedback", "page = '/service.html?category=cat-x' && helpful = true", nil); n != 5 {
		t.Errorf("%d answers stored", n)
	}
}

// TestPageFeedbackInInsights: the answers are counted per page in the
// period and the filters chosen (the help page belongs to no department;
// another channel than online keeps none), with the previous period's
// share and the comments newest first; every staff member reads them
// (clerks and supervisors too: the site is not a department's work),
// residents and anonymous callers do not; the CSV has both tables.
func TestPageFeedbackInInsights(t *testing.T) {
	t.Parallel()
	e := newMatrixEnv(t)
	add := func(page string, helpful bool, comment, at string) {
		t.Helper()
		_, err := e.app.DB().NewQuery(`INSERT INTO page_feedback (id, page, helpful, comment, language, created, updated)
			VALUES ({:id}, {:page}, {:helpful}, {:comment}, 'en', {:at}, {:at})`).Bind(map[string]any{"id": "pf" + strings.ReplaceAll(at[:19], ":", "") + page[1:3],
			"page": page, "helpful": helpful, "comment": comment, "at": at}).Execute()
		if err != nil {
			t.Fatal(err)
		}
	}
	// November 2026 (the fixture's answer moved into it): help 2 yes 1 no; TX 1 yes 1 no; cat-y 1 yes
	if _, err := e.app.DB().NewQuery("UPDATE page_feedback SET created = '2026-11-10 12:00:00.000Z' WHERE id = {:id}").
		Bind(map[string]any{"id": pageFeedbackA}).Execute(); err != nil {
		t.Fatal(err)
	}
	add("/help.html", true, "", "2026-11-02 15:00:00.000Z")
	add("/help.html", true, "", "2026-11-03 15:00:00.000Z")
	add("/help.html", false, "No opening hours", "2026-11-12 15:00:00.000Z")
	add("/service.html?permit=TX", true, "", "2026-11-04 15:00:00.000Z")
	add("/service.html?category=cat-y", true, "Clear", "2026-11-05 15:00:00.000Z")
	// October: 1 yes, 1 no; December: not in November
	add("/help.html", true, "", "2026-10-20 15:00:00.000Z")
	add("/service.html?permit=TX", false, "", "2026-10-21 15:00:00.000Z")
	add("/help.html", false, "Later", "2026-12-01 15:00:00.000Z")

	type answer struct {
		Pages insights.PageFeedback `json:"pages"`
	}
	get := func(token, query string) (int, answer, string) {
		t.Helper()
		res := e.getWithToken("/api/townhall/staff/insights?period=month&from=2026-11-01"+query, token)
		var a answer
		if res.Status == 200 {
			res.JSON(t, &a)
		}
		return res.Status, a, res.Body
	}
	sup := staffToken(t, e, supX)
	for _, r := range []struct {
		name, token string
		status      int
	}{
		{"anonymous", "", 401},
		{"resident", roleTokens[roleResA], 403},
		{"other resident", roleTokens[roleResB], 403},
		{"clerk", roleTokens[roleClerkX], 200},
		{"clerk of another department", roleTokens[roleClerkY], 200},
		{"supervisor", sup, 200},
		{"director", roleTokens[roleDirector], 200},
		{"administrator", roleTokens[roleSuperuser], 200},
	} {
		status, a, body := get(r.token, "")
		if status != r.status {
			t.Errorf("%s: %d, want %d: %s", r.name, status, r.status, body)
			continue
		}
		if status != 200 {
			if strings.Contains(body, "No opening hours") {
				t.Errorf("%s is refused but sees a comment: %s", r.name, body)
			}
			continue
		}
		// every staff member: every page, the comments too
		p := a.Pages
		if p.Totals.Yes != 4 || p.Totals.No != 2 || p.Totals.Share == nil || *p.Totals.Share != 66.7 ||
			p.Previous.Yes != 1 || p.Previous.No != 1 || len(p.Pages) != 3 || p.Pages[0].Page != "/help.html" ||
			p.Pages[0].Yes != 2 || p.Pages[0].No != 1 || p.Pages[1].Page != "/service.html?permit=TX" || p.Pages[1].Service != typeX ||
			p.Pages[1].Department != deptX || len(p.Comments) != 3 || p.Comments[0].Comment != "No opening hours" ||
			p.Comments[1].Comment != "Needs more about fees" {
			t.Errorf("%s: %+v", r.name, p)
		}
		if p.Sentence != "66.7 % of the 6 answers found the page helpful (previous period: 50 % of 2)." {
			t.Errorf("%s: %q", r.name, p.Sentence)
		}
	}
	// the filters chosen narrow them to the service pages in scope
	for _, f := range []struct {
		query    string
		yes, no  int
		comments int
	}{
		{"&department=DX", 1, 1, 1},
		{"&department=DY", 1, 0, 1},
		{"&type=TX", 1, 1, 1},
		{"&category=cat-y", 1, 0, 1},
		{"&category=cat-x", 0, 0, 0},
		{"&channel=online", 4, 2, 3},
		{"&channel=phone", 0, 0, 0},
	} {
		_, a, _ := get(roleTokens[roleDirector], f.query)
		if p := a.Pages; p.Totals.Yes != f.yes || p.Totals.No != f.no || len(p.Comments) != f.comments {
			t.Errorf("%s: %+v", f.query, p)
		}
	}
	// a clerk narrowing to their own department, as the director would
	if _, a, _ := get(roleTokens[roleClerkX], "&department=DX"); a.Pages.Totals.Yes != 1 || a.Pages.Totals.No != 1 {
		t.Errorf("clerk X, own department: %+v", a.Pages)
	}
	// the CSV of both tables
	res := e.getWithToken("/api/townhall/staff/insights/export?table=pages&period=month&from=2026-11-01", roleTokens[roleClerkY])
	if res.Status != 200 || !strings.HasPrefix(res.Body, "\uFEFFpage,about,department,helpful: yes,helpful: no,helpful (%)\r\n/help.html,help page,,2,1,66.7\r\n") ||
		!strings.Contains(res.Body, "/service.html?permit=TX,permit type: Type X,Department X,1,1,50\r\n") ||
		!strings.Contains(res.Body, "\r\nall pages,,,4,2,66.7\r\n") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), `filename="insights-pages-2026-11-01_2026-11-30.csv"`) {
		t.Errorf("pages CSV: %d %v %q", res.Status, res.Header, res.Body)
	}
	res = e.getWithToken("/api/townhall/staff/insights/export?table=page_comments&period=month&from=2026-11-01&department=DY", roleTokens[roleDirector])
	if res.Status != 200 || res.Body != "\uFEFFdate,page,about,helpful,language,comment\r\n2026-11-05T09:00:00-06:00,/service.html?category=cat-y,problem category: Category Y,yes,en,Clear\r\n" {
		t.Errorf("page comments CSV: %d %q", res.Status, res.Body)
	}
	// the records themselves: still directors only
	if res := e.getWithToken("/api/collections/page_feedback/records", roleTokens[roleClerkX]); res.Status != 200 || strings.Contains(res.Body, "No opening hours") {
		t.Errorf("a clerk lists the records: %d %s", res.Status, res.Body)
	}
}
