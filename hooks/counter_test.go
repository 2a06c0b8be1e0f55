package hooks

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/townhall-portal/townhall/internal/smtpsend/smtptest"
)

// TestResidentsLearnWhereTheirConfirmationIs: a resident whose confirmation
// email has not left is told so (and where the office is), and then when it
// has.
func TestResidentsLearnWhereTheirConfirmationIs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	status := func() emailStatus {
		t.Helper()
		res := e.do(t, http.MethodGet, "/api/townhall/account/email-status", nil, roleResU)
		if res.Status != 200 {
			t.Fatalf("status: %d %s", res.Status, res.Body)
		}
		var s emailStatus
		res.JSON(t, &s)
		return s
	}
	if res := e.do(t, http.MethodGet, "/api/townhall/account/email-status", nil, roleAnon); res.Status != 401 {
		t.Errorf("anonymous: %d", res.Status)
	}
	settings := e.record(t, "town_settings", settingsID)
	settings.Set("office_phone", "(555) 010-1000")
	if err := e.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	if s := status(); s.Verified || s.Confirmation != "none" || s.Office["office_phone"] != "(555) 010-1000" {
		t.Errorf("before any email: %+v", s)
	}
	e.do(t, http.MethodPost, "/api/collections/users/request-verification", `{"email":"u@resident.test"}`, roleAnon)
	for deadline := time.Now().Add(5 * time.Second); status().Confirmation == "none"; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the confirmation email was never queued")
		}
	}
	if s := status(); s.Confirmation != "queued" {
		t.Errorf("queued: %+v", s)
	}
	useMailServer(t, e, smtptest.Silent)
	e.portal.SendOutbox()
	if s := status(); s.Confirmation != "waiting" {
		t.Errorf("after a failed attempt: %+v", s)
	}
	useMailServer(t, e, smtptest.Accept)
	e.clock.Advance(time.Minute)
	e.portal.SendOutbox()
	if s := status(); s.Confirmation != "sent" {
		t.Errorf("after delivery: %+v", s)
	}
}

// TestStaffConfirmAnEmailAtTheCounter: only staff, only after checking the
// person's identity; the resident can then file; the audit trail says who.
func TestStaffConfirmAnEmailAtTheCounter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	url := "/api/townhall/residents/" + resU + "/confirm-email"
	for _, c := range []struct {
		role, body string
		status     int
		says       string
	}{
		{roleAnon, `{"identity_checked":true}`, 401, "sign in"},
		{roleResA, `{"identity_checked":true}`, 403, "Only county staff"},
		{roleClerkX, `{}`, 400, "identity"},
		{roleClerkX, `{"identity_checked":true}`, 200, `"verified":true`},
		{roleClerkY, `{"identity_checked":true}`, 200, `"verified":true`}, // already: nothing changes
	} {
		res := e.do(t, http.MethodPost, url, c.body, c.role)
		if res.Status != c.status || !strings.Contains(res.Body, c.says) {
			t.Errorf("%s %s: %d %s", c.role, c.body, res.Status, res.Body)
		}
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/residents/nosuchresident/confirm-email", `{"identity_checked":true}`, roleClerkX); res.Status != 404 {
		t.Errorf("unknown resident: %d", res.Status)
	}
	if !e.record(t, "users", resU).Verified() {
		t.Fatal("the resident is not confirmed")
	}
	if n := e.count(t, "events", "action = 'email_confirmed_at_counter' && actor_staff = {:s}", map[string]any{"s": clerkX}); n != 1 {
		t.Errorf("%d audit events, want 1", n)
	}
	// the resident's old token still works, and now files a report
	if res := e.do(t, http.MethodPost, "/api/collections/complaints/records",
		`{"category":"`+catX+`","reporter":"`+resU+`","description":"A hole","address":"1 Elm"}`, roleResU); res.Status != 200 {
		t.Errorf("filing after confirmation: %d %s", res.Status, res.Body)
	}
}

// TestStaffFindResidentsAndSeeTheirEmail: staff find a resident by part of
// the name, email or phone and see the email address; residents do neither.
func TestStaffFindResidentsAndSeeTheirEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for q, want := range map[string]string{"resident.test": "u@resident.test", "Resident B": "b@resident.test"} {
		res := e.do(t, http.MethodGet, "/api/townhall/residents?q="+strings.ReplaceAll(q, " ", "%20"), nil, roleClerkX)
		if res.Status != 200 || !strings.Contains(res.Body, want) {
			t.Errorf("q=%s: %d %s", q, res.Status, res.Body)
		}
	}
	for _, c := range []struct {
		q, role string
		status  int
	}{{"res", roleResA, 403}, {"r", roleClerkX, 400}, {"res", roleAnon, 401}} {
		if res := e.do(t, http.MethodGet, "/api/townhall/residents?q="+c.q, nil, c.role); res.Status != c.status {
			t.Errorf("%s q=%s: %d", c.role, c.q, res.Status)
		}
	}
	if res := e.do(t, http.MethodGet, "/api/collections/users/records/"+resA, nil, roleClerkX); !strings.Contains(res.Body, "a@resident.test") {
		t.Errorf("staff do not see the resident's email: %s", res.Body)
	}
}
