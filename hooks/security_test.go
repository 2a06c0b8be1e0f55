package hooks

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// listTotal lists a collection with a filter and returns the status and count.
func listTotal(t *testing.T, e *testEnv, collection, filter, role string) (int, int) {
	t.Helper()
	res := e.do(t, http.MethodGet, "/api/collections/"+collection+"/records?filter="+url.QueryEscape(filter), nil, role)
	var out struct {
		TotalItems int `json:"totalItems"`
	}
	if res.Status == 200 {
		res.JSON(t, &out)
	}
	return res.Status, out.TotalItems
}

// TestFiltersCannotReachIntoOtherRecords: PocketBase does not apply the
// related collection's rules inside some back-relation joins, so a filter
// like events_via_permit.comment !~ 'x%' would let a resident guess an
// internal note letter by letter. Such filters are refused for everyone but
// administrators; plain filters still work.
func TestFiltersCannotReachIntoOtherRecords(t *testing.T) {
	e := newEnv(t)
	refused := []struct{ collection, filter, role string }{
		{"permits", "id='" + permitA + "' && events_via_permit.comment !~ 'intern%'", roleResA},
		{"permits", "owner.complaints_via_reporter.description !~ 'Secret%'", roleClerkX},
		{"complaints", "complaints_via_duplicate_of.reporter.phone != ''", roleResA},
		{"permits", "owner.name ~ 'Res'", roleClerkX},
	}
	for _, c := range refused {
		if status, _ := listTotal(t, e, c.collection, c.filter, c.role); status != 400 {
			t.Errorf("%s %q by %s: %d, want 400", c.collection, c.filter, c.role, status)
		}
	}
	res := e.do(t, http.MethodGet, "/api/collections/permits/records?sort="+url.QueryEscape("owner.name"), nil, roleClerkX)
	if res.Status != 400 {
		t.Errorf("sorting by a relation's field: %d", res.Status)
	}
	allowed := []struct{ collection, filter, role string }{
		{"permits", "owner = '" + resA + "' && status = 'draft'", roleResA},
		{"users", "name ~ 'J. Smith'", roleClerkX},
		{"permits", "owner.name ~ 'Res'", roleSuperuser},
	}
	for _, c := range allowed {
		if status, _ := listTotal(t, e, c.collection, c.filter, c.role); status != 200 {
			t.Errorf("%s %q by %s: %d, want 200", c.collection, c.filter, c.role, status)
		}
	}
	// the same limit on realtime subscriptions
	c := subscriptions.NewDefaultClient()
	e.app.SubscriptionsBroker().Register(c)
	defer e.app.SubscriptionsBroker().Unregister(c.Id())
	body := `{"clientId":"` + c.Id() + `","subscriptions":["permits/*?options=` +
		url.QueryEscape(`{"query":{"filter":"events_via_permit.comment ~ 'x'"}}`) + `"]}`
	if res := e.do(t, http.MethodPost, "/api/realtime", body, roleResA); res.Status != 400 {
		t.Errorf("realtime subscription with a deep filter: %d %s", res.Status, res.Body)
	}
}

// TestDuplicatesStayInsideTheDepartment: a clerk cannot merge a report into
// another department's, and a follower never sees the first reporter's
// contact details or a private description.
func TestDuplicatesStayInsideTheDepartment(t *testing.T) {
	e := newEnv(t)
	e.setStatus(t, "complaints", complaintA, "new", map[string]any{"description_private": true,
		"caller_phone": "555-0199", "description": "Private: my neighbour at 3 A Street dumps waste"})
	dup := fileReport(t, e, roleClerkY, `{"category":"`+catY+`","reporter":"`+resB+`","description":"x","address":"x"}`)
	res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+dup+"/mark_duplicate", `{"duplicate_of":"SR-2026-00001"}`, roleClerkY)
	if res.Status != 403 {
		t.Fatalf("clerk Y merged into department X's report: %d %s", res.Status, res.Body)
	}
	// the director may merge across departments; the follower sees a trimmed report
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+dup+"/mark_duplicate", `{"duplicate_of":"SR-2026-00001"}`, roleDirector); res.Status != 200 {
		t.Fatalf("director merging: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodGet, "/api/collections/complaints/records/"+complaintA, nil, roleResB)
	if res.Status != 200 {
		t.Fatalf("follower reading the primary: %d", res.Status)
	}
	for _, never := range []string{"555-0199", "neighbour", resA} {
		if strings.Contains(res.Body, never) {
			t.Errorf("the follower sees %q: %s", never, res.Body)
		}
	}
	// a closed report is no primary
	e.setStatus(t, "complaints", complaintB, "closed", nil)
	other := fileReport(t, e, roleResB, `{"category":"`+catY+`","reporter":"`+resB+`","description":"y","address":"y"}`)
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+other+"/mark_duplicate", `{"duplicate_of":"SR-2026-00002"}`, roleClerkY); res.Status != 400 {
		t.Errorf("merging into a closed report: %d %s", res.Status, res.Body)
	}
}

// TestFeedbackIsForExactlyOneRequest: a rating cannot be attached to
// someone else's request through a second parent.
func TestFeedbackIsForExactlyOneRequest(t *testing.T) {
	e := newEnv(t)
	if _, err := e.app.DB().NewQuery("DELETE FROM feedback").Execute(); err != nil {
		t.Fatal(err)
	}
	e.setStatus(t, "complaints", complaintA, "resolved", nil)
	e.setStatus(t, "permits", permitB, "issued", nil)
	res := e.do(t, http.MethodPost, "/api/collections/feedback/records",
		`{"complaint":"`+complaintA+`","permit":"`+permitB+`","author":"`+resA+`","rating":1}`, roleResA)
	if res.Status != 400 {
		t.Errorf("a rating with two parents: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/collections/feedback/records", `{"permit":"`+permitB+`","author":"`+resB+`","rating":5}`, roleResB); res.Status != 200 {
		t.Errorf("B rating their own permit: %d %s", res.Status, res.Body)
	}
}

// TestDeactivatedStaffLoseAccess: turning a staff account off ends the
// sessions it holds.
func TestDeactivatedStaffLoseAccess(t *testing.T) {
	e := newEnv(t)
	s := e.record(t, "staff", clerkX)
	s.Set("active", false)
	if err := e.app.Save(s); err != nil {
		t.Fatal(err)
	}
	e.setStatus(t, "permits", permitA, "submitted", nil)
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/start_review", nil, roleClerkX); res.Status == 200 {
		t.Errorf("a deactivated clerk still acts: %d", res.Status)
	}
	if _, n := listTotal(t, e, "users", "", roleClerkX); n > 0 {
		t.Errorf("a deactivated clerk still lists %d residents", n)
	}
	if res := e.do(t, http.MethodPost, "/api/collections/staff/auth-with-password", `{"identity":"clerkx@county.test","password":"correct-horse-battery"}`, roleAnon); res.Status == 200 {
		t.Error("a deactivated clerk can sign in")
	}
}

// TestLongTextNeverBlocksAnAction: a 290-character address makes a long
// email subject; the email is shortened, the submission goes through.
func TestLongTextNeverBlocksAnAction(t *testing.T) {
	e := newEnv(t)
	addr := strings.Repeat("Long Road ", 29)
	if res := e.do(t, http.MethodPatch, "/api/collections/permits/records/"+permitB, `{"site_address":"`+addr+`"}`, roleResB); res.Status != 200 {
		t.Fatalf("saving the address: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/submit", nil, roleResB); res.Status != 200 {
		t.Errorf("submitting with a long address: %d %s", res.Status, res.Body)
	}
}

// TestConcurrentPaymentsRecordOne: two clerks recording the same fee at once.
func TestConcurrentPaymentsRecordOne(t *testing.T) {
	e := newEnv(t)
	e.setStatus(t, "permits", permitB, "approved", nil)
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/payment", `{"amount":40,"method":"cash"}`, roleClerkY).Status
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		if c == 200 {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("payments accepted: %v", codes)
	}
	if n := e.count(t, "events", "permit = {:p} && action = 'payment'", map[string]any{"p": permitB}); n != 1 {
		t.Errorf("%d payment events", n)
	}
}
