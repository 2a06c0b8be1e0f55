package hooks

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
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
// related collection's rules inside some relation joins, so a filter like
// events_via_permit.comment !~ 'x%' answers yes or no about records the
// caller may not read. The guard decides on the parsed expression, so no
// comment, quote, new line or parenthesis can hide such a path; only
// administrators may use one.
func TestFiltersCannotReachIntoOtherRecords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	refused := []struct{ collection, filter, role string }{
		{"permits", "id='" + permitA + "' && events_via_permit.comment !~ 'intern%'", roleResA},
		{"permits", "owner.complaints_via_reporter.description !~ 'Secret%'", roleClerkX},
		{"complaints", "complaints_via_duplicate_of.reporter.phone != ''", roleResA},
		{"permits", "owner.name ~ 'Res'", roleClerkX},
		// what the regular expression missed: a quote inside a line comment
		{"permits", "status = 'x' //'\n|| events_via_department.comment !~ 'a%'", roleResA},
		{"departments", "id != '' //'\n&& permits_via_department.owner.phone != ''", roleResA},
		{"departments", "id != '' //\"\n&& events_via_department.comment !~ 'in%'", roleAnon},
		// tabs, new lines, parentheses, escaped quotes, double quotes
		{"permits", "status = 'draft'\t||\t(owner.email ~ 'a')", roleResA},
		{"permits", "((status = 'x') || ((events_via_permit.comment != '')))", roleResA},
		{"permits", `status = 'it\'s' || owner.phone = '1'`, roleResA},
		{"permits", `status = "a\"b" || owner.phone = '1'`, roleResA},
		{"complaints", "@collection.events.comment ?~ 'internal'", roleResA},
		{"complaints", "strftime('%Y', reporter.created) = '2026'", roleResA},
		// two hops
		{"documents", "permit.owner.phone ~ '555'", roleResA},
		// anything the parser cannot read
		{"permits", "status = 'x' && ", roleResA},
		{"permits", "status = 'x'\r|| owner.name = 'y'", roleResA},
	}
	for _, c := range refused {
		filter := strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\r`, "\r").Replace(c.filter)
		res := e.do(t, http.MethodGet, "/api/collections/"+c.collection+"/records?filter="+url.QueryEscape(filter), nil, c.role)
		if res.Status != 400 || !strings.Contains(res.Body, "own fields") {
			t.Errorf("%s %q by %s: %d %s, want 400", c.collection, filter, c.role, res.Status, res.Body)
		}
	}
	for _, q := range []string{
		"sort=" + url.QueryEscape("owner.name"),
		"sort=" + url.QueryEscape("-created,events_via_permit.created"),
		"expand=" + url.QueryEscape("owner.department"),
		"expand=" + url.QueryEscape("events_via_permit"),
		"fields=" + url.QueryEscape("expand.events_via_permit.comment"),
		"filter=" + url.QueryEscape("status='draft'") + "&filter=" + url.QueryEscape("owner.name~'a'"),
	} {
		if res := e.do(t, http.MethodGet, "/api/collections/permits/records?"+q, nil, roleResA); res.Status != 400 {
			t.Errorf("permits ?%s: %d %s, want 400", q, res.Status, res.Body)
		}
		if res := e.do(t, http.MethodGet, "/api/collections/permits/records/"+permitA+"?"+q, nil, roleResA); res.Status != 400 {
			t.Errorf("permit view ?%s: %d %s, want 400", q, res.Status, res.Body)
		}
	}
	allowed := []struct{ collection, query, role string }{
		{"permits", "filter=" + url.QueryEscape("owner = '"+resA+"' && status = 'draft' // mine"), roleResA},
		{"permits", "filter=" + url.QueryEscape("owner = '"+resA+"'") + "&sort=-updated&expand=permit_type", roleResA},
		{"users", "filter=" + url.QueryEscape("name ~ 'J. Smith'") + "&sort=name", roleClerkX},
		{"permits", "filter=" + url.QueryEscape("owner.name ~ 'Res'"), roleSuperuser},
		{"complaints", "expand=category,department,duplicate_of&sort=-updated", roleResA},
	}
	for _, c := range allowed {
		if res := e.do(t, http.MethodGet, "/api/collections/"+c.collection+"/records?"+c.query, nil, c.role); res.Status != 200 {
			t.Errorf("%s ?%s by %s: %d %s, want 200", c.collection, c.query, c.role, res.Status, res.Body)
		}
	}

	// the same limit on realtime subscriptions
	c := subscriptions.NewDefaultClient()
	e.app.SubscriptionsBroker().Register(c)
	defer e.app.SubscriptionsBroker().Unregister(c.Id())
	subscribe := func(topic, options string) response {
		body, _ := json.Marshal(map[string]any{"clientId": c.Id(), "subscriptions": []string{topic + "?options=" + url.QueryEscape(options)}})
		return e.do(t, http.MethodPost, "/api/realtime", string(body), roleResA)
	}
	for _, opts := range []string{
		`{"query":{"filter":"events_via_permit.comment ~ 'x'"}}`,
		`{"query":{"filter":"status = 'x' //'\n|| events_via_department.comment !~ 'a%'"}}`,
		`{"query":{"sort":"owner.name"}}`,
		`{"query":{"expand":"events_via_permit"}}`,
		`{"query":{"filter":"status = "}}`,
		`{"query":`,
	} {
		if res := subscribe("permits/*", opts); res.Status != 400 {
			t.Errorf("realtime subscription %s: %d %s", opts, res.Status, res.Body)
		}
	}
	if res := subscribe("permits/*", `{"query":{"filter":"status = 'draft'","expand":"permit_type"}}`); res.Status != 204 {
		t.Errorf("a plain realtime subscription: %d %s", res.Status, res.Body)
	}
}

// TestFollowersSeeOnlyWhatThePublicSees: a resident whose report was merged
// into another one follows it; they see what the public list shows (rounded
// point, no personal data) and its status changes, and can use none of the
// hidden fields in a filter or sort.
func TestFollowersSeeOnlyWhatThePublicSees(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "complaints", complaintA, "new", map[string]any{"description_private": true,
		"description": "Call me at 555-0142 about my neighbour", "location": map[string]any{"lat": 41.8818321, "lon": -87.6231777},
		"has_location": true, "caller_phone": "555-0142"})
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/comment", `{"comment":"My neighbour Jim at 3 A Street"}`, roleResA); res.Status != 200 {
		t.Fatalf("A commenting: %d %s", res.Status, res.Body)
	}
	dup := fileReport(t, e, roleResB, `{"category":"`+catX+`","reporter":"`+resB+`","description":"Same pothole","address":"1 A Street"}`)
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+dup+"/mark_duplicate", `{"duplicate_of":"SR-2026-00001"}`, roleClerkX); res.Status != 200 {
		t.Fatalf("merging: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/acknowledge", `{"comment":"We are on it."}`, roleClerkX); res.Status != 200 {
		t.Fatalf("acknowledging: %d %s", res.Status, res.Body)
	}

	// what the follower reads
	res := e.do(t, http.MethodGet, "/api/collections/complaints/records/"+complaintA, nil, roleResB)
	if res.Status != 200 {
		t.Fatalf("follower reading the primary: %d %s", res.Status, res.Body)
	}
	var seen map[string]any
	res.JSON(t, &seen)
	for _, never := range []string{"reporter", "caller_phone", "caller_name", "caller_email", "description", "address", "assignee", "created_by", "source", "language"} {
		if _, ok := seen[never]; ok {
			t.Errorf("the follower sees %s: %s", never, res.Body)
		}
	}
	if loc, _ := seen["location"].(map[string]any); loc["lat"] != 41.882 || loc["lon"] != -87.623 {
		t.Errorf("the follower sees the point %v, want it rounded as on the public list", seen["location"])
	}
	if seen["status"] != "acknowledged" || seen["reference"] != "SR-2026-00001" {
		t.Errorf("the follower does not see the status: %s", res.Body)
	}
	// its history: status changes only, with no other resident's words
	res = e.do(t, http.MethodGet, "/api/collections/events/records?perPage=100&filter="+url.QueryEscape("complaint = '"+complaintA+"'"), nil, roleResB)
	if res.Status != 200 || !strings.Contains(res.Body, `"to_status":"acknowledged"`) {
		t.Errorf("the follower's history: %d %s", res.Status, res.Body)
	}
	for _, never := range []string{"Jim", "Resident A", resA, "duplicate_linked"} {
		if strings.Contains(res.Body, never) {
			t.Errorf("the follower's history shows %q: %s", never, res.Body)
		}
	}
	// and nothing hidden can be guessed through a filter or a sort
	for _, q := range []string{
		"filter=" + url.QueryEscape("description ~ '555-0142'"),
		"filter=" + url.QueryEscape("caller_phone ~ '555'"),
		"filter=" + url.QueryEscape("reporter = '"+resA+"'"),
		"filter=" + url.QueryEscape("address ~ 'A Street'"),
		"filter=" + url.QueryEscape("location.lat > 41.88183"),
		"filter=" + url.QueryEscape("geoDistance(location.lon, location.lat, -87.6231777, 41.8818321) < 0.01"),
		"sort=description",
		"sort=caller_name",
	} {
		if res := e.do(t, http.MethodGet, "/api/collections/complaints/records?"+q, nil, roleResB); res.Status != 400 {
			t.Errorf("follower ?%s: %d %s, want 400", q, res.Status, res.Body)
		}
	}
	for _, q := range []string{"filter=" + url.QueryEscape("comment ~ 'Jim'"), "filter=" + url.QueryEscape("actor_user = '"+resA+"'"), "sort=actor_name"} {
		if res := e.do(t, http.MethodGet, "/api/collections/events/records?"+q, nil, roleResB); res.Status != 400 {
			t.Errorf("follower events ?%s: %d %s, want 400", q, res.Status, res.Body)
		}
	}
	// the reporter still reads their own report whole
	res = e.do(t, http.MethodGet, "/api/collections/complaints/records/"+complaintA, nil, roleResA)
	if !strings.Contains(res.Body, "555-0142") || !strings.Contains(res.Body, "41.8818321") {
		t.Errorf("the reporter's own view is trimmed: %s", res.Body)
	}
}

// TestDraftsArePrivate: a resident's draft application, its documents and
// its history are theirs alone until submitted, for every member of staff,
// directors included, in lists, views, actions and the queue; what staff
// started at the counter stays visible to them.
func TestDraftsArePrivate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	walkIn := e.do(t, http.MethodPost, "/api/collections/permits/records", `{"permit_type":"`+typeX+`","applicant_name":"Walk In"}`, roleClerkX)
	if walkIn.Status != 200 {
		t.Fatalf("intake: %d %s", walkIn.Status, walkIn.Body)
	}
	walkInID := docID(t, walkIn)
	for _, role := range []string{roleClerkX, roleDirector} {
		for _, path := range []string{"permits/records/" + permitA, "documents/records/" + docA, "events/records/" + eventAPublic} {
			if res := e.do(t, http.MethodGet, "/api/collections/"+path, nil, role); res.Status != 404 {
				t.Errorf("%s reads %s of a draft: %d", role, path, res.Status)
			}
		}
		for _, action := range []string{"actions", "comment", "assign"} {
			method := http.MethodPost
			if action == "actions" {
				method = http.MethodGet
			}
			if res := e.do(t, method, "/api/townhall/permits/"+permitA+"/"+action, `{"comment":"hi"}`, role); res.Status != 404 {
				t.Errorf("%s %s on a draft: %d %s", role, action, res.Status, res.Body)
			}
		}
		page, _ := e.queueAs(t, role, "?status=draft", http.StatusOK)
		if got := page.ids(); !slices.Equal(got, []string{"permit:" + walkInID}) {
			t.Errorf("%s's queue of drafts: %v, want only the counter draft", role, got)
		}
		if res := e.do(t, http.MethodGet, "/api/collections/permits/records/"+walkInID, nil, role); res.Status != 200 {
			t.Errorf("%s reading a counter draft: %d", role, res.Status)
		}
	}
	// submitted, it is the department's
	e.setStatus(t, "permits", permitA, "submitted", nil)
	for _, path := range []string{"permits/records/" + permitA, "documents/records/" + docA, "events/records/" + eventAPublic} {
		if res := e.do(t, http.MethodGet, "/api/collections/"+path, nil, roleClerkX); res.Status != 200 {
			t.Errorf("clerk reads %s once submitted: %d", path, res.Status)
		}
	}
}

// TestDuplicatesStayInsideTheDepartment: a clerk cannot merge a report into
// another department's, and a follower never sees the first reporter's
// contact details or a private description.
func TestDuplicatesStayInsideTheDepartment(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	e := newEnv(t)
	e.switchOff(t, clerkX)
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
	t.Parallel()
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
	t.Parallel()
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
