package hooks

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// TestWriteGuards checks the fields each role may not write through the API,
// beyond the access matrix's happy paths.
func TestWriteGuards(t *testing.T) {
	cases := []struct {
		name, method, url, body, role string
		status                        int
		contains                      string
	}{
		{"resident cannot create an approved permit", "POST", "/api/collections/permits/records",
			`{"permit_type":"` + typeX + `","owner":"` + resA + `","status":"approved"}`, roleResA, 400, "status"},
		{"resident cannot pick a permit number", "POST", "/api/collections/permits/records",
			`{"permit_type":"` + typeX + `","owner":"` + resA + `","number":"TX-2026-00001"}`, roleResA, 400, "number"},
		{"resident cannot file for someone else", "POST", "/api/collections/permits/records",
			`{"permit_type":"` + typeX + `","owner":"` + resB + `"}`, roleResA, 400, ""},
		{"resident cannot set their own status", "PATCH", "/api/collections/permits/records/" + permitA,
			`{"status":"approved"}`, roleResA, 400, "status"},
		{"resident cannot assign", "PATCH", "/api/collections/permits/records/" + permitA,
			`{"assignee":"` + clerkX + `"}`, roleResA, 400, "assignee"},
		{"resident cannot move the review deadline", "PATCH", "/api/collections/permits/records/" + permitA,
			`{"review_due_at":"2030-01-01 00:00:00.000Z"}`, roleResA, 400, "review_due_at"},
		{"resident cannot waive the fee", "PATCH", "/api/collections/permits/records/" + permitA,
			`{"fee":0,"paid_amount":100}`, roleResA, 400, "paid_amount"},
		{"staff cannot set a status by editing the record", "PATCH", "/api/collections/permits/records/" + permitA,
			`{"status":"in_review"}`, roleClerkX, 400, "status"},
		{"staff cannot change a resident's answers", "PATCH", "/api/collections/permits/records/" + permitA,
			`{"data":{"height":8}}`, roleClerkX, 400, "data"},
		{"staff cannot edit a resident's draft", "PATCH", "/api/collections/permits/records/" + permitA,
			`{"site_address":"9 Elm"}`, roleClerkX, 404, ""},
		{"resident cannot file a report for someone else", "POST", "/api/collections/complaints/records",
			`{"category":"` + catX + `","reporter":"` + resB + `","description":"x"}`, roleResA, 400, ""},
		{"resident cannot file a report with a deadline", "POST", "/api/collections/complaints/records",
			`{"category":"` + catX + `","reporter":"` + resA + `","description":"x","resolve_due_at":"2030-01-01 00:00:00.000Z"}`, roleResA, 400, "resolve_due_at"},
		{"staff cannot escalate by hand", "PATCH", "/api/collections/complaints/records/" + complaintA,
			`{"escalation_level":3}`, roleClerkX, 400, "escalation_level"},
		{"unverified resident is told to confirm the email (permit)", "POST", "/api/collections/permits/records",
			`{"permit_type":"` + typeX + `","owner":"` + resU + `"}`, roleResU, 403, "confirm your email"},
		{"unverified resident is told to confirm the email (report)", "POST", "/api/collections/complaints/records",
			`{"category":"` + catX + `","reporter":"` + resU + `","description":"x"}`, roleResU, 403, "confirm your email"},
		{"spanish-speaking resident gets the refusal in Spanish", "PATCH", "/api/collections/permits/records/" + permitB,
			`{"status":"approved"}`, roleResB, 400, "lo completa el condado"},
		{"staff cannot promote themselves", "PATCH", "/api/collections/staff/records/" + clerkY,
			`{"role":"director"}`, roleClerkY, 404, ""},
		{"staff cannot move to another department", "PATCH", "/api/collections/staff/records/" + clerkY,
			`{"department":"` + deptX + `"}`, roleClerkY, 404, ""},
		{"resident cannot verify themselves", "PATCH", "/api/collections/users/records/" + resU,
			`{"verified":true}`, roleResU, 400, ""},
		{"superuser cannot rewrite history", "PATCH", "/api/collections/events/records/" + eventAPublic,
			`{"comment":"x"}`, roleSuperuser, 403, "can't be changed"},
		{"inactive types cannot be applied for", "POST", "/api/collections/permits/records",
			`{"permit_type":"` + typeOff + `","owner":"` + resA + `"}`, roleResA, 400, ""},
	}
	// staff see a resident's application once it is submitted
	submittedFirst := map[string]bool{"staff cannot set a status by editing the record": true, "staff cannot change a resident's answers": true}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			if submittedFirst[c.name] {
				e.setStatus(t, "permits", permitA, "submitted", nil)
			}
			res := e.do(t, c.method, c.url, c.body, c.role)
			if res.Status != c.status {
				t.Fatalf("status %d, want %d: %s", res.Status, c.status, res.Body)
			}
			if c.contains != "" && !strings.Contains(res.Body, c.contains) {
				t.Fatalf("answer %s does not mention %q", res.Body, c.contains)
			}
		})
	}
}

// TestUnverifiedResidentCreatesNothing checks that a refused create leaves no record.
func TestUnverifiedResidentCreatesNothing(t *testing.T) {
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
		{"payment on a draft", "/api/townhall/permits/" + permitB + "/payment", `{"amount":40,"method":"cash"}`, roleClerkY, 409, "once the application is submitted"},
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
