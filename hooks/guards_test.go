package hooks

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

// TestWriteGuards checks the fields each role may not write through the API,
// beyond the access matrix's happy paths: one request each, as PocketBase's
// own scenario tables.
func TestWriteGuards(t *testing.T) {
	t.Parallel()
	scenarios := []tests.ApiScenario{
		{
			Name: "resident cannot create an approved permit", Method: http.MethodPost, URL: "/api/collections/permits/records",
			Body: strings.NewReader(`{"permit_type":"` + typeX + `","owner":"` + resA + `","status":"approved"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{"status"},
		},
		{
			Name: "resident cannot pick a permit number", Method: http.MethodPost, URL: "/api/collections/permits/records",
			Body: strings.NewReader(`{"permit_type":"` + typeX + `","owner":"` + resA + `","number":"TX-2026-00001"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{"number"},
		},
		{
			Name: "resident cannot file for someone else", Method: http.MethodPost, URL: "/api/collections/permits/records",
			Body: strings.NewReader(`{"permit_type":"` + typeX + `","owner":"` + resB + `"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{`"message":`},
		},
		{
			Name: "resident cannot set their own status", Method: http.MethodPatch, URL: "/api/collections/permits/records/" + permitA,
			Body: strings.NewReader(`{"status":"approved"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{"status"},
		},
		{
			Name: "resident cannot assign", Method: http.MethodPatch, URL: "/api/collections/permits/records/" + permitA,
			Body: strings.NewReader(`{"assignee":"` + clerkX + `"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{"assignee"},
		},
		{
			Name: "resident cannot move the review deadline", Method: http.MethodPatch, URL: "/api/collections/permits/records/" + permitA,
			Body: strings.NewReader(`{"review_due_at":"2030-01-01 00:00:00.000Z"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{"review_due_at"},
		},
		{
			Name: "resident cannot waive the fee", Method: http.MethodPatch, URL: "/api/collections/permits/records/" + permitA,
			Body: strings.NewReader(`{"fee":0,"paid_amount":100}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{"paid_amount"},
		},
		{
			Name: "staff cannot set a status by editing the record", Method: http.MethodPatch, URL: "/api/collections/permits/records/" + permitA,
			Body: strings.NewReader(`{"status":"in_review"}`), Headers: as(roleClerkX),
			ExpectedStatus: 400, ExpectedContent: []string{"status"},
			BeforeTestFunc: submitted(permitA),
		},
		{
			Name: "staff cannot change a resident's answers", Method: http.MethodPatch, URL: "/api/collections/permits/records/" + permitA,
			Body: strings.NewReader(`{"data":{"height":8}}`), Headers: as(roleClerkX),
			ExpectedStatus: 400, ExpectedContent: []string{"data"},
			BeforeTestFunc: submitted(permitA),
		},
		{
			Name: "staff cannot edit a resident's draft", Method: http.MethodPatch, URL: "/api/collections/permits/records/" + permitA,
			Body: strings.NewReader(`{"site_address":"9 Elm"}`), Headers: as(roleClerkX),
			ExpectedStatus: 404, ExpectedContent: []string{`"message":`},
		},
		{
			Name: "resident cannot file a report for someone else", Method: http.MethodPost, URL: "/api/collections/complaints/records",
			Body: strings.NewReader(`{"category":"` + catX + `","reporter":"` + resB + `","description":"x"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{`"message":`},
		},
		{
			Name: "resident cannot file a report with a deadline", Method: http.MethodPost, URL: "/api/collections/complaints/records",
			Body: strings.NewReader(`{"category":"` + catX + `","reporter":"` + resA + `","description":"x","resolve_due_at":"2030-01-01 00:00:00.000Z"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{"resolve_due_at"},
		},
		{
			Name: "staff cannot escalate by hand", Method: http.MethodPatch, URL: "/api/collections/complaints/records/" + complaintA,
			Body: strings.NewReader(`{"escalation_level":3}`), Headers: as(roleClerkX),
			ExpectedStatus: 400, ExpectedContent: []string{"escalation_level"},
		},
		{
			Name: "unverified resident is told to confirm the email (permit)", Method: http.MethodPost, URL: "/api/collections/permits/records",
			Body: strings.NewReader(`{"permit_type":"` + typeX + `","owner":"` + resU + `"}`), Headers: as(roleResU),
			ExpectedStatus: 403, ExpectedContent: []string{"confirm your email"},
		},
		{
			Name: "unverified resident is told to confirm the email (report)", Method: http.MethodPost, URL: "/api/collections/complaints/records",
			Body: strings.NewReader(`{"category":"` + catX + `","reporter":"` + resU + `","description":"x"}`), Headers: as(roleResU),
			ExpectedStatus: 403, ExpectedContent: []string{"confirm your email"},
		},
		{
			Name: "spanish-speaking resident gets the refusal in Spanish", Method: http.MethodPatch, URL: "/api/collections/permits/records/" + permitB,
			Body: strings.NewReader(`{"status":"approved"}`), Headers: as(roleResB),
			ExpectedStatus: 400, ExpectedContent: []string{"lo completa el condado"},
		},
		{
			Name: "staff cannot promote themselves", Method: http.MethodPatch, URL: "/api/collections/staff/records/" + clerkY,
			Body: strings.NewReader(`{"role":"director"}`), Headers: as(roleClerkY),
			ExpectedStatus: 404, ExpectedContent: []string{`"message":`},
		},
		{
			Name: "staff cannot move to another department", Method: http.MethodPatch, URL: "/api/collections/staff/records/" + clerkY,
			Body: strings.NewReader(`{"department":"` + deptX + `"}`), Headers: as(roleClerkY),
			ExpectedStatus: 404, ExpectedContent: []string{`"message":`},
		},
		{
			Name: "resident cannot verify themselves", Method: http.MethodPatch, URL: "/api/collections/users/records/" + resU,
			Body: strings.NewReader(`{"verified":true}`), Headers: as(roleResU),
			ExpectedStatus: 400, ExpectedContent: []string{`"message":`},
		},
		{
			Name: "superuser cannot rewrite history", Method: http.MethodPatch, URL: "/api/collections/events/records/" + eventAPublic,
			Body: strings.NewReader(`{"comment":"x"}`), Headers: as(roleSuperuser),
			ExpectedStatus: 403, ExpectedContent: []string{"can't be changed"},
		},
		{
			Name: "inactive types cannot be applied for", Method: http.MethodPost, URL: "/api/collections/permits/records",
			Body: strings.NewReader(`{"permit_type":"` + typeOff + `","owner":"` + resA + `"}`), Headers: as(roleResA),
			ExpectedStatus: 400, ExpectedContent: []string{`"message":`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = scenarioApp
		s.Test(t)
	}
}

// TestUnverifiedResidentCreatesNothing checks that a refused create leaves no record.
func TestUnverifiedResidentCreatesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before, _ := e.app.CountRecords("permits")
	e.do(t, http.MethodPost, "/api/collections/permits/records", `{"permit_type":"`+typeX+`","owner":"`+resU+`"}`, roleResU)
	after, _ := e.app.CountRecords("permits")
	if before != after {
		t.Fatalf("permits went from %d to %d", before, after)
	}
}

// TestRateLimitsAreOn: repeated sign-in attempts from one address are slowed
// down (the first-start settings turn rate limiting on).
func TestRateLimitsAreOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	last := 0
	for i := 0; i < 12; i++ {
		res := e.do(t, http.MethodPost, "/api/collections/users/auth-with-password", `{"identity":"a@resident.test","password":"wrong-password-1"}`, roleAnon)
		last = res.Status
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("the 12th failed sign-in in a row answered %d, want 429", last)
	}
}

// TestSmallerRefusalsSayWhy covers the refusals of comments, assignment and
// payment, each with the message a resident or clerk can act on.
func TestSmallerRefusalsSayWhy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "permits", permitA, "submitted", nil)
	e.setStatus(t, "permits", permitB, "draft", map[string]any{"created_by": clerkY}) // filed at the counter
	long := strings.Repeat("x", 5001)
	cases := []struct {
		name, url, body, role string
		status                int
		want                  string
	}{
		{"empty comment", "/api/townhall/permits/" + permitA + "/comment", `{"comment":"  "}`, roleResA, 400, "Please write a comment."},
		{"comment too long", "/api/townhall/permits/" + permitA + "/comment", `{"comment":"` + long + `"}`, roleResA, 400, "at most 5000 characters"},
		{"assign to another department", "/api/townhall/permits/" + permitA + "/assign", `{"assignee":"` + clerkY + `"}`, roleClerkX, 400, "colleague of the department"},
		{"resident assigning", "/api/townhall/permits/" + permitA + "/assign", `{"assignee":"` + clerkX + `"}`, roleResA, 403, "Only county staff"},
		{"payment without a fee", "/api/townhall/permits/" + permitA + "/payment", `{"amount":1,"method":"cash"}`, roleClerkX, 400, "no fee"},
		{"payment on a draft", "/api/townhall/permits/" + permitB + "/payment", `{"amount":40,"method":"cash"}`, roleClerkY, 409, "once the application is approved"},
		{"unknown category", "/api/collections/complaints/records", `{"category":"nosuchcategory1","reporter":"` + resB + `","description":"x"}`, roleResB, 400, "Elija qué tipo de problema"},
		{"unknown permit type", "/api/collections/permits/records", `{"permit_type":"nosuchtype00001","owner":"` + resA + `"}`, roleResA, 400, "Choose one of the permits we offer."},
	}
	for _, c := range cases {
		res := e.do(t, http.MethodPost, c.url, c.body, c.role)
		if res.Status != c.status || !strings.Contains(res.Body, c.want) {
			t.Errorf("%s: %d %.300s", c.name, res.Status, res.Body)
		}
	}
	// a resident cannot comment on a closed request
	e.setStatus(t, "permits", permitA, "withdrawn", nil)
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/comment", `{"comment":"hello"}`, roleResA); res.Status != 400 || !strings.Contains(res.Body, "contact the office") {
		t.Errorf("comment on a closed request: %d %s", res.Status, res.Body)
	}
}

// TestOurFaultsAreNot400s: a failure on the server's side during an action
// (here the database refusing the save) answers 500 with a message that
// says nothing was changed, is logged, and changes nothing; a refusal stays
// a 4xx.
func TestOurFaultsAreNot400s(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "permits", permitA, "submitted", nil)
	e.app.OnRecordUpdate("permits").BindFunc(func(ev *core.RecordEvent) error {
		return errors.New("database disk image is malformed")
	})
	events := e.count(t, "events", "permit = {:p}", map[string]any{"p": permitA})
	res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/start_review", nil, roleClerkX)
	if res.Status != 500 || !strings.Contains(res.Body, "nothing was changed") || strings.Contains(res.Body, "malformed") {
		t.Errorf("a database failure answered %d %s", res.Status, res.Body)
	}
	if got := e.record(t, "permits", permitA).GetString("status"); got != "submitted" {
		t.Errorf("the failed action left the application %s", got)
	}
	if n := e.count(t, "events", "permit = {:p}", map[string]any{"p": permitA}); n != events {
		t.Errorf("the failed action wrote %d events", n-events)
	}
	// in Spanish for a Spanish-speaking resident
	e.setStatus(t, "permits", permitB, "draft", nil)
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/submit", nil, roleResB); res.Status != 500 || !strings.Contains(res.Body, "no se cambió nada") {
		t.Errorf("a failure for a Spanish-speaking resident: %d %s", res.Status, res.Body)
	}
	// refusals are still refusals
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/approve", nil, roleClerkX); res.Status != 409 {
		t.Errorf("a refusal answered %d %s", res.Status, res.Body)
	}
}
