package hooks

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// fileReport files a report as role and returns its id.
func fileReport(t *testing.T, e *testEnv, role, body string) string {
	t.Helper()
	res := e.do(t, http.MethodPost, "/api/collections/complaints/records", body, role)
	if res.Status != 200 {
		t.Fatalf("filing a report: %d %s", res.Status, res.Body)
	}
	var r struct {
		ID string `json:"id"`
	}
	res.JSON(t, &r)
	return r.ID
}

func TestFilingAReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"  Broken light on Elm  ","address":"5 Elm Street","location":{"lat":41.881832,"lon":-87.623177}}`)
	r := e.record(t, "complaints", id)
	if r.GetString("reference") != "SR-2026-00003" || r.GetString("department") != deptX || r.GetString("status") != "new" {
		t.Errorf("filed as %s in %s, %s", r.GetString("reference"), r.GetString("department"), r.GetString("status"))
	}
	if r.GetString("description") != "Broken light on Elm" || !r.GetBool("has_location") {
		t.Errorf("description %q, has_location %v", r.GetString("description"), r.GetBool("has_location"))
	}
	// filed Tuesday 09:00 in Chicago: 8 business hours to acknowledge, 40 to resolve
	ack := time.Date(2026, 11, 17, 23, 0, 0, 0, time.UTC)     // Tuesday 17:00 CST
	resolve := time.Date(2026, 11, 23, 19, 0, 0, 0, time.UTC) // Monday 13:00 CST
	if got := r.GetDateTime("ack_due_at").Time(); !got.Equal(ack) {
		t.Errorf("acknowledge by %v, want %v", got, ack)
	}
	if got := r.GetDateTime("resolve_due_at").Time(); !got.Equal(resolve) {
		t.Errorf("resolve by %v, want %v", got, resolve)
	}
	if got := r.GetDateTime("next_escalation_at").Time(); !got.Equal(ack) {
		t.Errorf("first escalation at %v, want the acknowledge deadline %v", got, ack)
	}
	if n := e.count(t, "outbox", "complaint = {:c} && to = 'x-queue@county.test' && kind = 'complaint.new'", map[string]any{"c": id}); n != 1 {
		t.Errorf("%d emails to the department", n)
	}
	if n := e.count(t, "outbox", "complaint = {:c} && to = 'a@resident.test' && kind = 'complaint.received'", map[string]any{"c": id}); n != 1 {
		t.Errorf("%d receipts to the reporter", n)
	}
	// the history starts with "reported", by the resident, public
	if n := e.count(t, "events", "complaint = {:c} && action = 'reported' && public = true && actor_user = {:u} && to_status = 'new'", map[string]any{"c": id, "u": resA}); n != 1 {
		t.Errorf("%d 'reported' events by the resident", n)
	}

	// no map point: (0,0) is not a place
	id = fileReport(t, e, roleResA, `{"category":"`+catX+`","reporter":"`+resA+`","description":"Pothole","address":"5 Elm Street"}`)
	if e.record(t, "complaints", id).GetBool("has_location") {
		t.Error("a report without a point has a location")
	}
}

func TestBadReportsAreRefusedClearly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	huge := strings.Repeat("x", 1<<20)
	cases := []struct{ name, body, want string }{
		{"unknown category", `{"category":"nosuchcategory1","reporter":"` + resA + `","description":"x"}`, "Choose what kind of problem"},
		{"retired category", `{"category":"` + catOff + `","reporter":"` + resA + `","description":"x"}`, "no longer take reports"},
		{"empty description", `{"category":"` + catX + `","reporter":"` + resA + `","description":"   "}`, "describe the problem"},
		{"1 MB description", `{"category":"` + catX + `","reporter":"` + resA + `","description":"` + huge + `"}`, "under 5000 characters"},
		{"latitude out of range", `{"category":"` + catX + `","reporter":"` + resA + `","description":"x","location":{"lat":123,"lon":10}}`, "latitude must be between -90 and 90"},
		{"longitude out of range", `{"category":"` + catX + `","reporter":"` + resA + `","description":"x","location":{"lat":12,"lon":-200}}`, "longitude"},
	}
	for _, c := range cases {
		before := e.count(t, "complaints", "", nil)
		res := e.do(t, http.MethodPost, "/api/collections/complaints/records", c.body, roleResA)
		if res.Status != 400 || !strings.Contains(res.Body, c.want) {
			t.Errorf("%s: %d %.300s", c.name, res.Status, res.Body)
		}
		if after := e.count(t, "complaints", "", nil); after != before {
			t.Errorf("%s: a refused report was saved", c.name)
		}
	}
}

func TestConcurrentReportsGetUniqueSequentialReferences(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const n = 30
	var wg sync.WaitGroup
	refs := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			col, _ := e.app.FindCollectionByNameOrId("complaints")
			r := core.NewRecord(col)
			r.Set("category", catX)
			r.Set("reporter", resA)
			r.Set("description", fmt.Sprintf("report %d", i))
			if err := e.app.Save(r); err != nil {
				t.Error(err)
				return
			}
			refs <- r.GetString("reference")
		}()
	}
	wg.Wait()
	close(refs)
	seen := map[string]bool{}
	for ref := range refs {
		seen[ref] = true
	}
	for i := 3; i < 3+n; i++ {
		if !seen[fmt.Sprintf("SR-2026-%05d", i)] {
			t.Errorf("SR-2026-%05d missing (got %d distinct)", i, len(seen))
		}
	}
}

func TestStaffFileForACaller(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := fileReport(t, e, roleClerkY, `{"category":"`+catX+`","caller_name":"Walter Briggs","caller_phone":"555-0134","caller_email":"walter@caller.test","description":"Dumped tires behind the school","address":"School Lane","source":"walk_in"}`)
	r := e.record(t, "complaints", id)
	if r.GetString("created_by") != clerkY || r.GetString("source") != "walk_in" || r.GetString("reporter") != "" || r.GetString("department") != deptX {
		t.Errorf("filed as %v", r.FieldsData())
	}
	if n := e.count(t, "outbox", "complaint = {:c} && to = 'walter@caller.test'", map[string]any{"c": id}); n != 1 {
		t.Errorf("the caller got %d emails", n)
	}
	if n := e.count(t, "events", "complaint = {:c} && action = 'reported' && actor_staff = {:s}", map[string]any{"c": id, "s": clerkY}); n != 1 {
		t.Errorf("%d 'reported' events by the clerk who took the call", n)
	}
	// the caller follows by email: acknowledgement and resolution reach them
	for _, step := range []struct{ action, body string }{{"acknowledge", ""}, {"resolve", `{"comment":"Tires collected."}`}} {
		if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+id+"/"+step.action, step.body, roleClerkX); res.Status != 200 {
			t.Fatalf("%s: %d %s", step.action, res.Status, res.Body)
		}
	}
	if n := e.count(t, "outbox", "complaint = {:c} && to = 'walter@caller.test'", map[string]any{"c": id}); n != 3 {
		t.Errorf("the caller got %d emails, want 3 (received, acknowledged, resolved)", n)
	}
}

// allowedReportSteps is the report lifecycle of PRODUCT.md written out by hand.
var allowedReportSteps = map[string]map[string]string{ // from -> action -> who ("staff", "resident")
	"new":          {"acknowledge": "staff", "start": "staff", "reject": "staff", "mark_duplicate": "staff"},
	"acknowledged": {"start": "staff", "resolve": "staff", "reject": "staff", "mark_duplicate": "staff"},
	"in_progress":  {"resolve": "staff", "reject": "staff", "mark_duplicate": "staff"},
	"resolved":     {"close": "staff", "reopen": "resident"},
}

func TestReportActionsEveryStateRoleAndAction(t *testing.T) {
	t.Parallel()
	states := []string{"new", "acknowledged", "in_progress", "resolved", "closed", "rejected", "duplicate"}
	actions := []string{"acknowledge", "start", "resolve", "close", "reopen", "reject", "mark_duplicate"}
	roles := []string{roleAnon, roleResA, roleResB, roleClerkX, roleClerkY, roleDirector}
	for _, from := range states {
		e := newEnv(t)
		// an open report of the same department to merge duplicates into
		primary := fileReport(t, e, roleResB, `{"category":"`+catX+`","reporter":"`+resB+`","description":"The original","address":"1 A Street"}`)
		primaryRef := e.record(t, "complaints", primary).GetString("reference")
		for _, action := range actions {
			for _, role := range roles {
				e.setStatus(t, "complaints", complaintA, from, map[string]any{"resolved_at": testStart})
				var want int
				switch {
				case role == roleAnon:
					want = 401
				case role == roleResB:
					want = 404
				case role == roleClerkY:
					want = 403
				default:
					who := "staff"
					if role == roleResA {
						who = "resident"
					}
					allowed, known := allowedReportSteps[from][action]
					switch {
					case known && allowed == who:
						want = 200
					case known:
						want = 403
					default:
						want = 409
					}
				}
				body := `{"comment":"Done.","duplicate_of":"` + primaryRef + `"}`
				res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/"+action, body, role)
				if res.Status != want {
					t.Errorf("%s --%s--> by %s: %d, want %d: %s", from, action, role, res.Status, want, res.Body)
				}
				if want != 200 && e.record(t, "complaints", complaintA).GetString("status") != from {
					t.Errorf("%s --%s--> by %s: a refusal changed the state", from, action, role)
				}
			}
		}
		// no other path changes the status
		for _, to := range states {
			if to == from {
				continue
			}
			e.setStatus(t, "complaints", complaintA, from, nil)
			for _, role := range []string{roleClerkX, roleSuperuser} {
				e.do(t, http.MethodPatch, "/api/collections/complaints/records/"+complaintA, `{"status":"`+to+`"}`, role)
			}
			r := e.record(t, "complaints", complaintA)
			r.Set("status", to)
			if err := e.app.Save(r); err == nil {
				t.Errorf("Go save %s->%s accepted", from, to)
			}
			if got := e.record(t, "complaints", complaintA).GetString("status"); got != from {
				t.Fatalf("%s became %s outside the actions", from, got)
			}
		}
	}
}

func TestResolutionNeedsANoteAndReopenHasAWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "complaints", complaintA, "in_progress", nil)
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/resolve", nil, roleClerkX); res.Status != 400 {
		t.Errorf("resolve without a note: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/resolve", `{"comment":"Patched with cold asphalt."}`, roleClerkX); res.Status != 200 {
		t.Fatalf("resolve: %d %s", res.Status, res.Body)
	}
	r := e.record(t, "complaints", complaintA)
	if r.GetString("resolution_note") != "Patched with cold asphalt." || r.GetString("next_escalation_at") != "" {
		t.Errorf("resolved as %q, next escalation %q", r.GetString("resolution_note"), r.GetString("next_escalation_at"))
	}

	// within 14 days the reporter may reopen, with a new deadline
	e.clock.Advance(13 * 24 * time.Hour)
	res := e.do(t, http.MethodGet, "/api/townhall/complaints/"+complaintA+"/actions", nil, roleResA)
	if !strings.Contains(res.Body, `"reopen"`) {
		t.Errorf("reopen not offered: %s", res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/reopen", `{"comment":"The hole is back."}`, roleResA); res.Status != 200 {
		t.Fatalf("reopen: %d %s", res.Status, res.Body)
	}
	r = e.record(t, "complaints", complaintA)
	if r.GetString("status") != "in_progress" || !r.GetDateTime("resolve_due_at").Time().After(e.clock.Now()) || r.GetInt("escalation_level") != 0 {
		t.Errorf("reopened as %s due %v level %d", r.GetString("status"), r.GetDateTime("resolve_due_at"), r.GetInt("escalation_level"))
	}

	// resolved again, then past the window: no reopening, and the job closes it
	e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/resolve", `{"comment":"Re-patched."}`, roleClerkX)
	e.clock.Advance(15 * 24 * time.Hour)
	res = e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/reopen", nil, roleResA)
	if res.Status != 409 || !strings.Contains(res.Body, "14 days") {
		t.Errorf("reopen after the window: %d %s", res.Status, res.Body)
	}
	if n, err := e.portal.CloseResolvedReports(); err != nil || n != 1 {
		t.Errorf("closing: %d %v", n, err)
	}
	if got := e.record(t, "complaints", complaintA).GetString("status"); got != "closed" {
		t.Errorf("after the window the report is %s", got)
	}
}

func TestDuplicateReporterFollowsThePrimary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dup := fileReport(t, e, roleResB, `{"category":"`+catX+`","reporter":"`+resB+`","description":"Same pothole","address":"1 A Street"}`)
	if res := e.do(t, http.MethodGet, "/api/collections/complaints/records/"+complaintA, nil, roleResB); res.Status != 404 {
		t.Fatalf("B sees A's report before the merge: %d", res.Status)
	}
	for _, bad := range []string{`{}`, `{"duplicate_of":"SR-2026-99999"}`, `{"duplicate_of":"` + e.record(t, "complaints", dup).GetString("reference") + `"}`} {
		if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+dup+"/mark_duplicate", bad, roleClerkX); res.Status != 400 {
			t.Errorf("mark_duplicate %s: %d %s", bad, res.Status, res.Body)
		}
	}
	res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+dup+"/mark_duplicate", `{"duplicate_of":"sr-2026-00001"}`, roleClerkX)
	if res.Status != 200 {
		t.Fatalf("mark_duplicate: %d %s", res.Status, res.Body)
	}
	if got := e.record(t, "complaints", dup).GetString("duplicate_of"); got != complaintA {
		t.Errorf("duplicate_of %q", got)
	}
	// B now follows the primary: sees it, its public history, and its news
	if res := e.do(t, http.MethodGet, "/api/collections/complaints/records/"+complaintA, nil, roleResB); res.Status != 200 || strings.Contains(res.Body, "followers") {
		t.Errorf("B following A's report: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/resolve", `{"comment":"Fixed."}`, roleClerkX); res.Status != 409 {
		t.Logf("resolve from new: %d", res.Status) // new cannot be resolved directly
	}
	e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/acknowledge", nil, roleClerkX)
	// the follower reads the primary's status changes
	res = e.do(t, http.MethodGet, "/api/collections/events/records?filter=complaint%3D%27"+complaintA+"%27", nil, roleResB)
	if !strings.Contains(res.Body, `"to_status":"acknowledged"`) {
		t.Errorf("B does not see the primary's history: %s", res.Body)
	}
	if n := e.count(t, "outbox", "complaint = {:c} && to = 'b@resident.test' && kind = 'complaint.acknowledge'", map[string]any{"c": complaintA}); n != 1 {
		t.Errorf("the follower got %d acknowledgement emails", n)
	}
	// a follower cannot act on the primary
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/comment", `{"comment":"me too"}`, roleResB); res.Status != 404 {
		t.Errorf("follower commenting: %d", res.Status)
	}
}

func TestPublicListShowsNoPersonalData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := fileReport(t, e, roleClerkX, `{"category":"`+catX+`","caller_name":"Walter Briggs","caller_phone":"555-0134","caller_email":"walter@caller.test","description":"My neighbour Jim dumps trash","description_private":true,"address":"12 Private Road","location":{"lat":41.8818321,"lon":-87.6231777}}`)
	ref := e.record(t, "complaints", id).GetString("reference")
	// a photo staff did not mark public, and one they did
	for i, public := range []bool{false, true} {
		col, _ := e.app.FindCollectionByNameOrId("documents")
		d := core.NewRecord(col)
		d.Id = fmt.Sprintf("publicphoto%04d", i)
		d.Set("complaint", id)
		d.Set("kind", "photo")
		d.Set("public", public)
		f, _ := filesystemFile(tinyPNG(), "photo.png")
		d.Set("file", f)
		if err := e.app.Save(d); err != nil {
			t.Fatal(err)
		}
	}
	res := e.do(t, http.MethodGet, "/api/townhall/public/reports", nil, roleAnon)
	if res.Status != 200 {
		t.Fatalf("public list: %d %s", res.Status, res.Body)
	}
	for _, want := range []string{ref, "SR-2026-00001", `"category":"Category X"`, `"lat":41.882`, `"lon":-87.623`, "publicphoto0001"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("public list lacks %s: %s", want, res.Body)
		}
	}
	for _, never := range []string{"Walter", "555-0134", "walter@caller.test", "Jim", "Private Road", "Resident A", "a@resident.test",
		"41.8818321", "publicphoto0000", resA, "reporter", "caller"} {
		if strings.Contains(res.Body, never) {
			t.Errorf("public list reveals %q", never)
		}
	}
	if res := e.do(t, http.MethodGet, "/api/townhall/public/reports/"+ref+"/photos/publicphoto0001", nil, roleAnon); res.Status != 200 ||
		res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("public photo: %d, Cache-Control %q (must be checked again on every view)", res.Status, res.Header.Get("Cache-Control"))
	}
	// staff un-publish it: it is gone at once
	if res := e.do(t, http.MethodPatch, "/api/collections/documents/records/publicphoto0001", `{"public":false}`, roleClerkX); res.Status != 200 {
		t.Fatalf("un-publishing: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodGet, "/api/townhall/public/reports/"+ref+"/photos/publicphoto0001", nil, roleAnon); res.Status != 404 {
		t.Errorf("an un-published photo is still served: %d", res.Status)
	}
	if res := e.do(t, http.MethodGet, "/api/townhall/public/reports/"+ref+"/photos/publicphoto0000", nil, roleAnon); res.Status != 404 {
		t.Errorf("private photo served publicly: %d", res.Status)
	}
	// rejected reports are not listed
	e.setStatus(t, "complaints", id, "rejected", nil)
	if res := e.do(t, http.MethodGet, "/api/townhall/public/reports?status=open", nil, roleAnon); strings.Contains(res.Body, ref) {
		t.Error("a rejected report is listed as open")
	}
}

func TestFeedbackOnceWhenResolved(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(t, http.MethodPost, "/api/collections/feedback/records", `{"complaint":"`+complaintB+`","author":"`+resB+`","rating":7}`, roleResB)
	if res.Status != 400 {
		t.Errorf("rating 7: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodPost, "/api/collections/feedback/records", `{"complaint":"`+complaintB+`","author":"`+resB+`","rating":5,"comment":"Quick fix, thanks"}`, roleResB)
	if res.Status != 200 {
		t.Fatalf("rating: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodPost, "/api/collections/feedback/records", `{"complaint":"`+complaintB+`","author":"`+resB+`","rating":1}`, roleResB)
	if res.Status != 409 || !strings.Contains(res.Body, "Ya calificó") {
		t.Errorf("rating twice: %d %s", res.Status, res.Body)
	}
	fb, err := e.app.FindFirstRecordByFilter("feedback", "complaint = {:c}", map[string]any{"c": complaintB})
	if err != nil || fb.GetString("department") != deptY {
		t.Errorf("feedback department: %v", err)
	}
	// an open report cannot be rated yet
	if res := e.do(t, http.MethodPost, "/api/collections/feedback/records", `{"complaint":"`+complaintA+`","author":"`+resA+`","rating":3}`, roleResA); res.Status == 200 {
		t.Error("rated an open report")
	}
}

// TestPublicListKeepsToItsWindow: open reports are listed, resolved ones for
// 30 days, then taken off (also from its index by the hourly job); a
// reopened report is back, a rejected one never there.
func TestPublicListKeepsToItsWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	listed := func() string {
		return e.do(t, http.MethodGet, "/api/townhall/public/reports?perPage=100", nil, roleAnon).Body
	}
	e.setStatus(t, "complaints", complaintB, "resolved", map[string]any{"resolved_at": testStart.AddDate(0, 0, -29)})
	if !strings.Contains(listed(), "SR-2026-00002") {
		t.Error("a report resolved 29 days ago is not listed")
	}
	e.clock.Advance(2 * 24 * time.Hour)
	if strings.Contains(listed(), "SR-2026-00002") {
		t.Error("a report resolved 31 days ago is still listed")
	}
	if n, err := e.portal.ExpirePublicList(); err != nil || n != 1 {
		t.Errorf("the hourly job took %d off (%v), want 1", n, err)
	}
	if got := e.record(t, "complaints", complaintB).GetString("public_until"); got != "" {
		t.Errorf("public_until %q after expiry", got)
	}
	e.setStatus(t, "complaints", complaintB, "in_progress", nil)
	if !strings.Contains(listed(), "SR-2026-00002") {
		t.Error("a reopened report is not listed")
	}
	e.setStatus(t, "complaints", complaintB, "rejected", nil)
	if strings.Contains(listed(), "SR-2026-00002") {
		t.Error("a rejected report is listed")
	}
}

// TestPublicListPlansUseItsIndex: the public list's count and its kept
// order (the ids, newest first) read its partial index only, and a page
// walks it in order, whatever the filters.
func TestPublicListPlansUseItsIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, f := range []struct{ status, cat string }{{"", ""}, {"open", ""}, {"resolved", catX}} {
		where := e.portal.publicListWhere(f.status, f.cat)
		for _, c := range []struct {
			q    *dbx.Query
			want string
		}{
			{e.app.DB().Select("count(*)").From("complaints").Where(where).Build(), "COVERING INDEX idx_complaints_public"},
			{e.app.DB().Select("id").From("complaints").Where(where).OrderBy("created DESC").Build(), "COVERING INDEX idx_complaints_public"},
			{e.app.DB().Select("*").From("complaints").Where(where).OrderBy("created DESC").Limit(30).Offset(60).Build(), "INDEX idx_complaints_public"},
		} {
			var plan []struct {
				Detail string `db:"detail"`
			}
			if err := e.app.DB().NewQuery("EXPLAIN QUERY PLAN " + c.q.SQL()).Bind(c.q.Params()).All(&plan); err != nil {
				t.Fatal(err)
			}
			var text []string
			for _, p := range plan {
				text = append(text, p.Detail)
			}
			all := strings.Join(text, "\n")
			if !strings.Contains(all, c.want) || strings.Contains(all, "TEMP B-TREE") {
				t.Errorf("%+v: %s", f, all)
			}
		}
	}
}

// BenchmarkPublicReports: the anonymous public list over 100,000 reports
// (about 40 % open), first page, a middle page and the last, and filtered.
func BenchmarkPublicReports(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false
	insertQueueRequests(b, e.app, 100_000, 0)
	if _, err := e.app.DB().NewQuery(`UPDATE complaints SET public_until = CASE
		WHEN status IN ('new', 'acknowledged', 'in_progress') THEN '9999-12-31 23:59:59.999Z' ELSE '' END`).Execute(); err != nil {
		b.Fatal(err)
	}
	if _, err := e.app.DB().NewQuery("ANALYZE").Execute(); err != nil {
		b.Fatal(err)
	}
	var open int
	_ = e.app.DB().NewQuery("SELECT COUNT(*) FROM complaints WHERE public_until != ''").Row(&open)
	last := (open + 29) / 30
	for _, c := range []struct{ name, query string }{
		{"page-1", "?page=1"},
		{"page-middle", "?page=" + itoa(last/2)},
		{"page-last", "?page=" + itoa(last)},
		{"open-category", "?status=open&category=cat-x&page=2"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if res := e.do(b, http.MethodGet, "/api/townhall/public/reports"+c.query, nil, roleAnon); res.Status != 200 {
					b.Fatal(res.Status, res.Body)
				}
			}
		})
	}
}

// BenchmarkFileReport: a resident files a problem report through the
// records API (reference, deadlines, audit event, two emails queued).
func BenchmarkFileReport(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false
	body := `{"category":"` + catX + `","reporter":"` + resA + `","description":"A hole in the road","address":"1 Elm"}`
	for b.Loop() {
		if res := e.do(b, http.MethodPost, "/api/collections/complaints/records", body, roleResA); res.Status != 200 {
			b.Fatal(res.Status, res.Body)
		}
	}
}

// TestPublicListRebuildsOnce: requests that find the public list's order
// expired at the same moment share one rebuild (they get the same slice),
// and a status word the list does not know shares the unfiltered order.
func TestPublicListRebuildsOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first, err := e.portal.publicOrder("", "")
	if err != nil || len(first) == 0 {
		t.Fatalf("the fixtures' public list: %v %v", first, err)
	}
	e.portal.public.forget()
	const callers = 40
	got := make([][]string, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = e.portal.publicOrder("", "")
		}()
	}
	wg.Wait()
	for i, ids := range got {
		if len(ids) != len(first) || &ids[0] != &got[0][0] {
			t.Fatalf("caller %d got its own order (%d ids): the list was rebuilt more than once", i, len(ids))
		}
	}
	if other, _ := e.portal.publicOrder("no-such-status", ""); len(other) == 0 || &other[0] != &got[0][0] {
		t.Errorf("an unknown status word made an order of its own")
	}
}
