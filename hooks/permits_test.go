package hooks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/townhall-portal/townhall/internal/workflow"
)

// permitStates are every state of a permit application.
var permitStates = []string{"draft", "submitted", "in_review", "changes_requested", "approved", "denied", "issued", "expired", "withdrawn"}

// permitActions are every lifecycle action.
var permitActions = []string{"submit", "start_review", "request_changes", "approve", "deny", "issue", "expire", "withdraw"}

// allowedPermitSteps is the lifecycle of PRODUCT.md written out by hand (not
// derived from the state machine under test): state, action, who, new state.
var allowedPermitSteps = []struct{ from, action, who, to string }{
	{"draft", "submit", "resident", "submitted"},
	{"changes_requested", "submit", "resident", "submitted"},
	{"submitted", "start_review", "staff", "in_review"},
	{"submitted", "request_changes", "staff", "changes_requested"},
	{"in_review", "request_changes", "staff", "changes_requested"},
	{"in_review", "approve", "staff", "approved"},
	{"submitted", "deny", "staff", "denied"},
	{"in_review", "deny", "staff", "denied"},
	{"approved", "issue", "staff", "issued"},
	{"issued", "expire", "system", "expired"},
	{"draft", "withdraw", "resident", "withdrawn"},
	{"submitted", "withdraw", "resident", "withdrawn"},
	{"in_review", "withdraw", "resident", "withdrawn"},
	{"changes_requested", "withdraw", "resident", "withdrawn"},
}

func allowedStep(from, action, who string) (string, bool) {
	for _, s := range allowedPermitSteps {
		if s.from == from && s.action == action && s.who == who {
			return s.to, true
		}
	}
	return "", false
}

// anyoneMay reports whether some party may take action from state.
func anyoneMay(from, action string) bool {
	for _, who := range []string{"resident", "staff", "system"} {
		if _, ok := allowedStep(from, action, who); ok {
			return true
		}
	}
	return false
}

// TestPermitActionsEveryStateRoleAndAction drives every action from every
// state as every role through the action endpoint and checks the exact
// outcome, the new state, the audit event and that refusals change nothing.
func TestPermitActionsEveryStateRoleAndAction(t *testing.T) {
	t.Parallel()
	roles := []string{roleAnon, roleResA, roleResB, roleClerkX, roleClerkY, roleDirector, roleSuperuser}
	for _, from := range permitStates {
		e := newEnv(t)
		for _, action := range permitActions {
			for _, role := range roles {
				e.setStatus(t, "permits", permitA, from, nil)
				eventsBefore := e.count(t, "events", "permit = {:p}", map[string]any{"p": permitA})

				var wantStatus int
				wantTo := from
				switch {
				case role == roleAnon:
					wantStatus = 401
				case from == "draft" && (role == roleClerkX || role == roleClerkY || role == roleDirector):
					wantStatus = 404 // a resident's draft is theirs until submitted: staff do not see it
				case action == "submit" && anyoneMay(from, action) && (role == roleClerkX || role == roleDirector || role == roleSuperuser):
					// staff submit walk-in applications, not a resident's own draft
					wantStatus = 403
				case role == roleResB:
					wantStatus = 404 // another resident's application does not exist for them
				case role == roleClerkY:
					wantStatus = 403 // another department's application
				default:
					who := "staff"
					if role == roleResA {
						who = "resident"
					}
					if to, ok := allowedStep(from, action, who); ok {
						wantStatus, wantTo = 200, to
					} else if !anyoneMay(from, action) {
						wantStatus = 409 // the state does not lead there
					} else {
						wantStatus = 403 // someone else takes this step
					}
				}

				res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/"+action, `{"comment":"Because the plan lacks setbacks."}`, role)
				name := fmt.Sprintf("%s --%s--> by %s", from, action, role)
				if res.Status != wantStatus {
					t.Errorf("%s: status %d, want %d: %s", name, res.Status, wantStatus, res.Body)
					continue
				}
				got := e.record(t, "permits", permitA).GetString("status")
				if got != wantTo {
					t.Errorf("%s: state %s, want %s", name, got, wantTo)
				}
				eventsAfter := e.count(t, "events", "permit = {:p}", map[string]any{"p": permitA})
				if wantStatus == 200 && eventsAfter != eventsBefore+1 {
					t.Errorf("%s: %d events appended, want 1", name, eventsAfter-eventsBefore)
				}
				if wantStatus != 200 && eventsAfter != eventsBefore {
					t.Errorf("%s: a refused action appended %d events", name, eventsAfter-eventsBefore)
				}
				if wantStatus >= 400 && !strings.Contains(res.Body, `"message":"`) {
					t.Errorf("%s: refusal without a message: %s", name, res.Body)
				}
			}
		}
	}
}

// TestPermitStatusCannotChangeOutsideActions tries every other path to
// change a permit's status: a PATCH by every role, the dashboard (a
// superuser PATCH), Go code without an action, and Go code claiming an
// action the state does not allow.
func TestPermitStatusCannotChangeOutsideActions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, from := range permitStates {
		for _, to := range permitStates {
			if from == to {
				continue
			}
			e.setStatus(t, "permits", permitA, from, nil)
			for _, role := range []string{roleResA, roleClerkX, roleDirector, roleSuperuser} {
				res := e.do(t, http.MethodPatch, "/api/collections/permits/records/"+permitA, `{"status":"`+to+`"}`, role)
				if res.Status < 400 || res.Status >= 500 {
					t.Errorf("PATCH %s->%s by %s: status %d", from, to, role, res.Status)
				}
				if got := e.record(t, "permits", permitA).GetString("status"); got != from {
					t.Fatalf("PATCH %s->%s by %s moved the permit to %s", from, to, role, got)
				}
			}

			// Go code: a plain save
			r := e.record(t, "permits", permitA)
			r.Set("status", to)
			if err := e.app.Save(r); err == nil {
				t.Errorf("Go save %s->%s was accepted", from, to)
			}

			// Go code claiming an action that does not lead from here
			for _, action := range permitActions {
				t2, ok := workflow.Permit().Action(action)
				if !ok || t2.To != to || slices.Contains(t2.From, from) {
					continue
				}
				r := e.record(t, "permits", permitA)
				r.Set("status", to)
				c := &change{RecordID: permitA, Action: action, From: from, To: to, Actor: Actor{Kind: workflow.Staff}}
				if err := e.app.SaveWithContext(withChange(context.Background(), c), r); err == nil {
					t.Errorf("Go save claiming %s from %s was accepted", action, from)
				}
			}
			if got := e.record(t, "permits", permitA).GetString("status"); got != from {
				t.Fatalf("Go code moved the permit from %s to %s", from, got)
			}
		}
	}

	// a new permit always starts as a draft, whoever creates it
	res := e.do(t, http.MethodPost, "/api/collections/permits/records",
		`{"permit_type":"`+typeX+`","owner":"`+resA+`","status":"issued"}`, roleSuperuser)
	if res.Status != 400 {
		t.Errorf("superuser created an issued permit: %d %s", res.Status, res.Body)
	}
}

func TestPermitRefusalsExplainWhy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "permits", permitA, "approved", nil)
	res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/withdraw", nil, roleResA)
	if res.Status != 409 || !strings.Contains(res.Body, "This application is already approved and can no longer be withdrawn.") {
		t.Errorf("withdrawing an approved application: %d %s", res.Status, res.Body)
	}
	e.setStatus(t, "permits", permitB, "approved", nil)
	res = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/withdraw", nil, roleResB)
	if res.Status != 409 || !strings.Contains(res.Body, "Esta solicitud ya está aprobada y ya no se puede retirar.") {
		t.Errorf("Spanish refusal: %d %s", res.Status, res.Body)
	}

	e.setStatus(t, "permits", permitA, "in_review", nil)
	for _, action := range []string{"deny", "request_changes"} {
		res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/"+action, `{"comment":"   "}`, roleClerkX)
		if res.Status != 400 || !strings.Contains(res.Body, "comment for the resident") {
			t.Errorf("%s without a comment: %d %s", action, res.Status, res.Body)
		}
	}
	res = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/teleport", nil, roleClerkX)
	if res.Status != 404 {
		t.Errorf("unknown action: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/approve", `{not json`, roleClerkX)
	if res.Status != 400 {
		t.Errorf("broken body: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodPost, "/api/townhall/permits/nosuchpermit123/approve", nil, roleClerkX)
	if res.Status != 404 {
		t.Errorf("unknown permit: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/approve", nil, roleResU)
	if res.Status != 403 {
		t.Errorf("unverified resident: %d %s", res.Status, res.Body)
	}
}

func TestSubmitChecksDocumentsAndAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	// the required site plan is missing
	if err := e.app.Delete(e.record(t, "documents", docA)); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/submit", nil, roleResA)
	if res.Status != 400 || !strings.Contains(res.Body, "We need your site plan before we can review your application.") {
		t.Errorf("missing document: %d %s", res.Status, res.Body)
	}

	// an answer of the wrong type is refused on save, in plain language, and
	// the saved answers are untouched
	res = e.do(t, http.MethodPatch, "/api/collections/permits/records/"+permitA, `{"data":{"height":"tall"}}`, roleResA)
	if res.Status != 400 || !strings.Contains(res.Body, "Fence height must be a number") || !strings.Contains(res.Body, `"data.height"`) {
		t.Errorf("wrong type: %d %s", res.Status, res.Body)
	}
	if got := e.record(t, "permits", permitA).GetString("data"); !strings.Contains(got, `"height":4`) {
		t.Errorf("answers changed to %s", got)
	}
	// one out of range is kept in the draft (what the resident typed so far);
	// submitting it is refused, in plain language, at the answer
	res = e.do(t, http.MethodPatch, "/api/collections/permits/records/"+permitA, `{"data":{"height":12}}`, roleResA)
	if res.Status != 200 || !strings.Contains(e.record(t, "permits", permitA).GetString("data"), `"height":12`) {
		t.Errorf("saving an out-of-range answer in a draft: %d %s", res.Status, res.Body)
	}
	if err := e.app.Save(func() *core.Record {
		col, _ := e.app.FindCollectionByNameOrId("documents")
		d := core.NewRecord(col)
		f, _ := filesystemFile(tinyPNG(), "plan.png")
		d.Load(map[string]any{"permit": permitA, "owner": resA, "kind": "site_plan", "file": f})
		return d
	}()); err != nil {
		t.Fatal(err)
	}
	res = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/submit", nil, roleResA)
	if res.Status != 400 || !strings.Contains(res.Body, "Fence height must be between 1 and 8 feet") || !strings.Contains(res.Body, `"data.height"`) {
		t.Errorf("submitting an out-of-range answer: %d %s", res.Status, res.Body)
	}

	// a draft may miss required answers; submission may not
	res = e.do(t, http.MethodPatch, "/api/collections/permits/records/"+permitA, `{"data":{}}`, roleResA)
	if res.Status != 200 {
		t.Fatalf("saving an incomplete draft: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/submit", nil, roleResA)
	if res.Status != 400 || !strings.Contains(res.Body, "Fence height") {
		t.Errorf("submitting without a required answer: %d %s", res.Status, res.Body)
	}
	if got := e.record(t, "permits", permitA).GetString("status"); got != "draft" {
		t.Errorf("refused submission moved the permit to %s", got)
	}
}

func TestPermitTypeDefinitionsAreChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(t, http.MethodPatch, "/api/collections/permit_types/records/"+typeX,
		`{"fields":[{"key":"height","kind":"number","label":{"en":"Height"},"min":10,"max":8}]}`, roleSuperuser)
	if res.Status != 400 || !strings.Contains(res.Body, "height") {
		t.Errorf("broken definition: %d %s", res.Status, res.Body)
	}
	res = e.do(t, http.MethodPatch, "/api/collections/permit_types/records/"+typeX,
		`{"required_documents":[{"key":"plan","label":{"en":"Plan"},"accept":["exe"]}]}`, roleSuperuser)
	if res.Status != 400 {
		t.Errorf("broken document list: %d %s", res.Status, res.Body)
	}
}

// TestFullPermitJourney takes a permit from draft to issued and checks the
// dates, the number, the history and the emails.
func TestFullPermitJourney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	step := func(action, body, role string) {
		t.Helper()
		res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/"+action, body, role)
		if res.Status != 200 {
			t.Fatalf("%s: %d %s", action, res.Status, res.Body)
		}
	}
	step("submit", "", roleResA)
	r := e.record(t, "permits", permitA)
	// 10 business days from Tuesday 17 November: Tuesday 1 December at closing (17:00 in Chicago)
	if r.GetDateTime("submitted_at").Time() != testStart || !r.GetDateTime("review_due_at").Time().Equal(time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("submitted %v due %v", r.GetDateTime("submitted_at"), r.GetDateTime("review_due_at"))
	}
	step("start_review", "", roleClerkX)
	step("request_changes", `{"comment":"Please mark the fence on the site plan."}`, roleClerkX)
	step("submit", "", roleResA)
	step("start_review", "", roleClerkX)
	step("approve", "", roleClerkX)
	step("issue", "", roleClerkX)
	r = e.record(t, "permits", permitA)
	if r.GetString("status") != "issued" || r.GetString("number") != "TX-2026-00001" {
		t.Fatalf("issued as %s %q", r.GetString("status"), r.GetString("number"))
	}
	wantExpiry := time.Date(2027, 11, 17, 23, 59, 59, 0, mustLoc(t, "America/Chicago")).UTC()
	if got := r.GetDateTime("expires_at").Time(); !got.Equal(wantExpiry) {
		t.Errorf("expires %v, want %v", got, wantExpiry)
	}

	// the history: every step, in order, visible to the resident
	events, err := e.app.FindRecordsByFilter("events", "permit = {:p} && public = true", "created", 0, 0, map[string]any{"p": permitA})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range events {
		if ev.Id != eventAPublic {
			actions = append(actions, ev.GetString("action"))
		}
	}
	want := []string{"submit", "start_review", "request_changes", "submit", "start_review", "approve", "issue"}
	if !slices.Equal(actions, want) {
		t.Errorf("history %v, want %v", actions, want)
	}

	// emails: the resident on every step, the department on each submission
	toResident := e.count(t, "outbox", "to = 'a@resident.test' && permit = {:p}", map[string]any{"p": permitA})
	toDepartment := e.count(t, "outbox", "to = 'x-queue@county.test' && permit = {:p}", map[string]any{"p": permitA})
	if toResident != len(want) || toDepartment != 2 {
		t.Errorf("%d emails to the resident (want %d), %d to the department (want 2)", toResident, len(want), toDepartment)
	}
	changes, err := e.app.FindFirstRecordByFilter("outbox", "kind = 'permit.request_changes'")
	if err != nil || !strings.Contains(changes.GetString("text"), "Please mark the fence on the site plan.") {
		t.Errorf("the changes email does not carry the comment: %v", err)
	}
}

// TestPaymentOnlyOnceApproved: residents are told they pay after approval,
// so neither the payment action nor its offer exists before that.
func TestPaymentOnlyOnceApproved(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	offered := func() bool {
		res := e.do(t, http.MethodGet, "/api/townhall/permits/"+permitB+"/actions", nil, roleClerkY)
		if res.Status != 200 {
			t.Fatalf("actions: %d %s", res.Status, res.Body)
		}
		return strings.Contains(res.Body, `"payment"`)
	}
	for _, status := range []string{"submitted", "in_review"} {
		e.setStatus(t, "permits", permitB, status, nil)
		if offered() {
			t.Errorf("payment offered while %s", status)
		}
		res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/payment", `{"amount":40,"method":"cash"}`, roleClerkY)
		if res.Status != 409 || !strings.Contains(res.Body, "once the application is approved") {
			t.Errorf("payment while %s: %d %s", status, res.Status, res.Body)
		}
	}
	e.setStatus(t, "permits", permitB, "approved", nil)
	if !offered() {
		t.Error("payment not offered once approved")
	}
}

func TestIssuingNeedsThePaidFee(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "permits", permitB, "approved", nil)
	res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/issue", nil, roleClerkY)
	if res.Status != 409 || !strings.Contains(res.Body, "$40.00") {
		t.Fatalf("issuing unpaid: %d %s", res.Status, res.Body)
	}
	bad := []struct{ body, role, want string }{
		{`{"amount":10,"method":"cash"}`, roleClerkY, "at least the fee"},
		{`{"amount":40,"method":"bitcoin"}`, roleClerkY, "cash, check, card or transfer"},
		{`{"method":"waived"}`, roleClerkY, "supervisor or director"},
		{`{"amount":40,"method":"cash"}`, roleResB, "personal del condado"},
		{`{"amount":40,"method":"cash"}`, roleClerkX, "another department"},
	}
	for _, b := range bad {
		res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/payment", b.body, b.role)
		if res.Status < 400 || !strings.Contains(res.Body, b.want) {
			t.Errorf("payment %s by %s: %d %s", b.body, b.role, res.Status, res.Body)
		}
	}
	res = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/payment", `{"amount":40,"method":"check","reference":"CHK 1001"}`, roleClerkY)
	if res.Status != 200 {
		t.Fatalf("recording the payment: %d %s", res.Status, res.Body)
	}
	r := e.record(t, "permits", permitB)
	if r.GetFloat("paid_amount") != 40 || r.GetString("paid_by") != clerkY || r.GetString("payment_reference") != "CHK 1001" || r.GetString("paid_at") == "" {
		t.Errorf("payment recorded as %v", r.FieldsData())
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/payment", `{"amount":40,"method":"cash"}`, roleClerkY); res.Status != 409 {
		t.Errorf("paying twice: %d %s", res.Status, res.Body)
	}
	if n := e.count(t, "events", "permit = {:p} && action = 'payment' && public = true", map[string]any{"p": permitB}); n != 1 {
		t.Errorf("%d payment events", n)
	}
	res = e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/issue", nil, roleClerkY)
	if res.Status != 200 || !strings.Contains(res.Body, "TY-2026-00001") {
		t.Errorf("issuing after payment: %d %s", res.Status, res.Body)
	}
}

// TestConcurrentIssuingNumbersWithoutGapsOrDuplicates issues 50 approved
// permits at once.
func TestConcurrentIssuingNumbersWithoutGapsOrDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	col, _ := e.app.FindCollectionByNameOrId("permits")
	ids := make([]string, 50)
	for i := range ids {
		r := core.NewRecord(col)
		r.Id = fmt.Sprintf("concurrent%05d", i)
		r.Set("owner", resA)
		r.Set("permit_type", typeX)
		r.Set("department", deptX)
		r.Set("status", "approved")
		r.Set("language", "en")
		if err := e.app.UnsafeWithoutHooks().Save(r); err != nil {
			t.Fatal(err)
		}
		ids[i] = r.Id
	}
	clerk := e.record(t, "staff", clerkX)
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.portal.Permit(id, "issue", StaffActor(clerk), "")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		seen[e.record(t, "permits", id).GetString("number")] = true
	}
	for i := 1; i <= 50; i++ {
		n := fmt.Sprintf("TX-2026-%05d", i)
		if !seen[n] {
			t.Errorf("number %s missing", n)
		}
	}
	if len(seen) != 50 {
		t.Errorf("%d distinct numbers for 50 permits", len(seen))
	}
}

func TestExpiryAndRemindersWithAClock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	expires := testStart.AddDate(0, 0, 40)
	e.setStatus(t, "permits", permitA, "issued", map[string]any{"number": "TX-2026-00007", "issued_at": testStart, "expires_at": expires})
	// a broken record next to it must not stop the job
	e.setStatus(t, "permits", permitB, "issued", map[string]any{"number": "TY-2026-00001", "expires_at": testStart.AddDate(0, 0, -1), "permit_type": "missingtype0001"})

	// 40 days before expiry: no reminder yet
	if n, err := e.portal.RemindExpiringPermits(); err != nil || n != 0 {
		t.Fatalf("early reminders: %d %v", n, err)
	}
	e.clock.Set(expires.AddDate(0, 0, -29))
	for range 2 {
		if _, err := e.portal.RemindExpiringPermits(); err != nil {
			t.Fatal(err)
		}
	}
	// a restart: a new portal on the same database
	restarted := RegisterWith(e.app, Options{Now: e.clock.Now})
	if _, err := restarted.RemindExpiringPermits(); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, "outbox", "kind = 'permit.reminder' && permit = {:p}", map[string]any{"p": permitA}); n != 1 {
		t.Errorf("%d reminders, want exactly 1", n)
	}

	e.clock.Set(expires.Add(time.Minute))
	n, err := e.portal.ExpirePermits()
	if err != nil {
		t.Fatal(err)
	}
	if got := e.record(t, "permits", permitA).GetString("status"); got != "expired" {
		t.Errorf("permit is %s after its expiry", got)
	}
	if n < 1 {
		t.Errorf("expired %d permits", n)
	}
	if n2, _ := e.portal.ExpirePermits(); n2 != 0 {
		t.Errorf("second run expired %d more", n2)
	}
	ev, err := e.app.FindFirstRecordByFilter("events", "permit = {:p} && action = 'expire'", map[string]any{"p": permitA})
	if err != nil || ev.GetString("actor_kind") != "system" {
		t.Errorf("no system expiry event: %v", err)
	}
}

// TestOutboxSurvivesAFailingMailServer queues mail while SMTP is down, then
// checks retries with backoff and that each message is sent exactly once.
func TestOutboxSurvivesAFailingMailServer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	down := true
	e.app.OnMailerSend().BindFunc(func(me *core.MailerEvent) error {
		if down {
			return errors.New("dial tcp: connection refused")
		}
		return me.Next()
	})
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/submit", nil, roleResA); res.Status != 200 {
		t.Fatalf("submit: %d %s", res.Status, res.Body)
	}
	queued := e.count(t, "outbox", "status = 'pending'", nil)
	if queued != 2 {
		t.Fatalf("%d messages queued, want 2", queued)
	}

	sent, failed, err := e.portal.SendOutbox()
	if err != nil || sent != 0 || failed != 2 {
		t.Fatalf("with SMTP down: sent %d failed %d err %v", sent, failed, err)
	}
	msg, _ := e.app.FindFirstRecordByFilter("outbox", "status = 'pending' && kind = 'permit.submit'")
	if msg.GetInt("attempts") != 1 || !strings.Contains(msg.GetString("last_error"), "connection refused") {
		t.Errorf("failure not recorded: %v", msg.FieldsData())
	}
	// too early for the retry
	if sent, failed, _ := e.portal.SendOutbox(); sent+failed != 0 {
		t.Errorf("retried before the backoff: sent %d failed %d", sent, failed)
	}
	e.clock.Advance(2 * time.Minute)
	down = false
	sent, failed, err = e.portal.SendOutbox()
	if err != nil || sent != 2 || failed != 0 {
		t.Fatalf("after recovery: sent %d failed %d err %v", sent, failed, err)
	}
	e.clock.Advance(time.Hour)
	if sent, _, _ := e.portal.SendOutbox(); sent != 0 {
		t.Errorf("sent %d messages twice", sent)
	}
	if got := e.app.TestMailer.TotalSend(); got != 2 {
		t.Errorf("the mail server received %d messages, want 2", got)
	}
	if n := e.count(t, "outbox", "status = 'sent' && sent_at != ''", nil); n < 2 {
		t.Errorf("%d messages marked sent", n)
	}
}

// TestOutboxConcurrentRunsSendOnce runs the sender twice at once.
func TestOutboxConcurrentRunsSendOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 20 {
		err := e.portal.queueMail(e.app, outMail{To: fmt.Sprintf("r%d@resident.test", i), Subject: "s", Text: "t", Kind: "test"})
		if err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); _, _, _ = e.portal.SendOutbox() }()
	}
	wg.Wait()
	if got := e.app.TestMailer.TotalSend(); got != 20 {
		t.Errorf("%d messages sent for 20 queued", got)
	}
}

func TestVerificationIsPublicAndPrivate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "permits", permitA, "issued", map[string]any{"number": "TX-2026-00042",
		"issued_at": testStart, "expires_at": testStart.AddDate(1, 0, 0)})
	res := e.do(t, http.MethodGet, "/api/townhall/verify/tx-2026-00042", nil, roleAnon)
	if res.Status != 200 {
		t.Fatalf("verify: %d %s", res.Status, res.Body)
	}
	for _, want := range []string{`"number":"TX-2026-00042"`, `"status":"issued"`, `"valid":true`, `"type_name":"Type X"`, `"site_address":"1 A Street"`, `"expires_at":"2027-11-17`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("verification lacks %s: %s", want, res.Body)
		}
	}
	for _, never := range []string{"Resident A", "a@resident.test", resA, docA, "owner", "data"} {
		if strings.Contains(res.Body, never) {
			t.Errorf("verification reveals %q: %s", never, res.Body)
		}
	}
	for _, n := range []string{"TX-2026-99999", "nonsense", "' OR 1=1 --"} {
		if res := e.do(t, http.MethodGet, "/api/townhall/verify/"+strings.ReplaceAll(n, " ", "%20"), nil, roleAnon); res.Status != 404 {
			t.Errorf("verify %q: %d", n, res.Status)
		}
	}
	qr := e.do(t, http.MethodGet, "/api/townhall/verify/TX-2026-00042/qr.svg", nil, roleAnon)
	if qr.Status != 200 || !strings.HasPrefix(qr.Header.Get("Content-Type"), "image/svg+xml") || !strings.Contains(qr.Body, "<path") {
		t.Errorf("QR code: %d %s %.100s", qr.Status, qr.Header.Get("Content-Type"), qr.Body)
	}

	// an expired permit is reported as not valid
	e.clock.Set(testStart.AddDate(2, 0, 0))
	res = e.do(t, http.MethodGet, "/api/townhall/verify/TX-2026-00042", nil, roleAnon)
	if !strings.Contains(res.Body, `"valid":false`) {
		t.Errorf("expired permit reported valid: %s", res.Body)
	}
}

// TestRealtimeRespectsAccessRules subscribes residents A and B to permit
// updates and checks that only A hears about A's permit.
func TestRealtimeRespectsAccessRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	subscribe := func(userID string) *subscriptions.DefaultClient {
		c := subscriptions.NewDefaultClient()
		c.Set(apis.RealtimeClientAuthKey, e.record(t, "users", userID))
		c.Subscribe("permits/*", "permits/"+permitA)
		// not unregistered: PocketBase may still be broadcasting to it when
		// the test ends, and the test app is thrown away with its broker
		e.app.SubscriptionsBroker().Register(c)
		return c
	}
	a, b := subscribe(resA), subscribe(resB)
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/submit", nil, roleResA); res.Status != 200 {
		t.Fatalf("submit: %d %s", res.Status, res.Body)
	}
	got := 0
	timeout := time.After(2 * time.Second)
	for got == 0 {
		select {
		case msg := <-a.Channel():
			if strings.Contains(string(msg.Data), permitA) && strings.Contains(string(msg.Data), `"submitted"`) {
				got++
			}
		case <-timeout:
			t.Fatal("resident A heard nothing about their own permit")
		}
	}
	select {
	case msg := <-b.Channel():
		t.Fatalf("resident B heard about A's permit: %s %s", msg.Name, msg.Data)
	case <-time.After(300 * time.Millisecond):
	}
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// BenchmarkPermitRoundTrip files a draft and takes it through submit, review,
// approval, payment and issue over the HTTP API (in-process): one op is the
// whole round trip, six requests.
func BenchmarkPermitRoundTrip(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false // one client sending thousands of requests is the point here
	col, _ := e.app.FindCollectionByNameOrId("permits")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := core.NewRecord(col)
		r.Set("owner", resB)
		r.Set("permit_type", typeY)
		r.Set("site_address", "2 B Street")
		if err := e.app.Save(r); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, s := range []struct{ action, body, role string }{
			{"submit", "", roleResB},
			{"start_review", "", roleClerkY},
			{"approve", "", roleClerkY},
			{"payment", `{"amount":40,"method":"card","reference":"AUTH-1"}`, roleClerkY},
			{"issue", "", roleClerkY},
		} {
			if res := e.do(b, http.MethodPost, "/api/townhall/permits/"+r.Id+"/"+s.action, s.body, s.role); res.Status != 200 {
				b.Fatalf("%s: %d %s", s.action, res.Status, res.Body)
			}
		}
	}
}

// TestStaffSubmitWalkInApplications: staff submit what they filed for a
// walk-in or caller; a resident's own draft is the resident's to submit.
func TestStaffSubmitWalkInApplications(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(t, http.MethodPost, "/api/collections/permits/records",
		`{"permit_type":"`+typeY+`","applicant_name":"Walk In","applicant_phone":"555-0100"}`, roleClerkY)
	if res.Status != 200 {
		t.Fatalf("intake: %d %s", res.Status, res.Body)
	}
	id := docID(t, res)
	if got := e.record(t, "permits", id).GetString("created_by"); got != clerkY {
		t.Errorf("created_by %q", got)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+id+"/submit", nil, roleClerkY); res.Status != 200 {
		t.Errorf("staff submitting a walk-in application: %d %s", res.Status, res.Body)
	}
	// a resident's draft is not even visible to staff; returned for changes, it is still the resident's to submit
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/submit", nil, roleClerkX); res.Status != 404 {
		t.Errorf("staff submitting a resident's draft: %d %s", res.Status, res.Body)
	}
	e.setStatus(t, "permits", permitA, "changes_requested", nil)
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/submit", nil, roleClerkX); res.Status != 403 || !strings.Contains(res.Body, "Only the applicant") {
		t.Errorf("staff resubmitting a resident's application: %d %s", res.Status, res.Body)
	}
}

// TestAvailableActionsOfferEditUploadAndRate: the sites show the edit,
// upload and rating controls exactly when the server accepts them, from the
// lifecycles' editable and rateable states.
func TestAvailableActionsOfferEditUploadAndRate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	offered := func(kind, id, role string) []string {
		t.Helper()
		res := e.do(t, http.MethodGet, "/api/townhall/"+kind+"/"+id+"/actions", nil, role)
		var body struct {
			Actions []struct {
				Action string `json:"action"`
			} `json:"actions"`
		}
		res.JSON(t, &body)
		var out []string
		for _, a := range body.Actions {
			out = append(out, a.Action)
		}
		return out
	}
	has := func(list []string, a string) bool { return slices.Contains(list, a) }
	cases := []struct {
		kind, id, state, role string
		edit, upload, rate    bool
	}{
		{"permits", permitA, "draft", roleResA, true, true, false},
		{"permits", permitA, "changes_requested", roleResA, true, true, false},
		{"permits", permitA, "submitted", roleResA, false, false, false},
		{"permits", permitA, "submitted", roleClerkX, false, true, false},
		{"permits", permitA, "withdrawn", roleClerkX, false, false, false},
		{"permits", permitA, "issued", roleResA, false, false, true},
		{"complaints", complaintB, "new", roleResB, false, true, false},
		{"complaints", complaintB, "acknowledged", roleResB, false, false, false},
		{"complaints", complaintB, "resolved", roleResB, false, false, true},
		{"complaints", complaintA, "resolved", roleResA, false, false, false}, // already rated
	}
	for _, c := range cases {
		e.setStatus(t, c.kind, c.id, c.state, nil)
		got := offered(c.kind, c.id, c.role)
		if has(got, "edit") != c.edit || has(got, "upload") != c.upload || has(got, "rate") != c.rate {
			t.Errorf("%s %s as %s: %v, want edit %v upload %v rate %v", c.kind, c.state, c.role, got, c.edit, c.upload, c.rate)
		}
	}
}

// TestActionsSayWhatSubmissionStillNeeds: while an application can be
// submitted, its actions list what submission would refuse.
func TestActionsSayWhatSubmissionStillNeeds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if err := e.app.Delete(e.record(t, "documents", docA)); err != nil {
		t.Fatal(err)
	}
	if res := e.do(t, http.MethodPatch, "/api/collections/permits/records/"+permitA, `{"data":{"height":12}}`, roleResA); res.Status != 200 {
		t.Fatalf("saving: %d %s", res.Status, res.Body)
	}
	res := e.do(t, http.MethodGet, "/api/townhall/permits/"+permitA+"/actions", nil, roleResA)
	var body struct {
		BeforeSubmit *todo `json:"before_submit"`
	}
	res.JSON(t, &body)
	if body.BeforeSubmit == nil || !strings.Contains(body.BeforeSubmit.Answers["data.height"], "between 1 and 8") ||
		len(body.BeforeSubmit.Documents) != 1 || body.BeforeSubmit.Documents[0] != "site plan" {
		t.Errorf("before submit: %s", res.Body)
	}
	e.setStatus(t, "permits", permitA, "submitted", nil)
	if res := e.do(t, http.MethodGet, "/api/townhall/permits/"+permitA+"/actions", nil, roleResA); strings.Contains(res.Body, "before_submit") {
		t.Errorf("a submitted application still lists what submission needs: %s", res.Body)
	}
}

// TestApplicationsGetAReferenceWhenSubmitted: the first submission gives an
// application its APP-YYYY-NNNNN reference (a resubmission keeps it); it is
// in the emails, the resident's record and the staff queue's search.
func TestApplicationsGetAReferenceWhenSubmitted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if got := e.record(t, "permits", permitA).GetString("reference"); got != "" {
		t.Fatalf("a draft has the reference %q", got)
	}
	step := func(id, action, body, role string) {
		t.Helper()
		if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+id+"/"+action, body, role); res.Status != 200 {
			t.Fatalf("%s: %d %s", action, res.Status, res.Body)
		}
	}
	step(permitA, "submit", "", roleResA)
	if got := e.record(t, "permits", permitA).GetString("reference"); got != "APP-2026-00001" {
		t.Fatalf("submitted with the reference %q", got)
	}
	step(permitA, "start_review", "", roleClerkX)
	step(permitA, "request_changes", `{"comment":"Please mark the fence on the site plan."}`, roleClerkX)
	step(permitA, "submit", "", roleResA)
	if got := e.record(t, "permits", permitA).GetString("reference"); got != "APP-2026-00001" {
		t.Errorf("resubmitted with the reference %q", got)
	}
	if n := e.count(t, "outbox", "permit = {:p} && kind = 'permit.submit' && subject ~ 'APP-2026-00001' && text ~ 'APP-2026-00001'", map[string]any{"p": permitA}); n != 2 {
		t.Errorf("%d submission emails name the reference", n)
	}
	if res := e.do(t, http.MethodGet, "/api/collections/permits/records/"+permitA, nil, roleResA); !strings.Contains(res.Body, `"reference":"APP-2026-00001"`) {
		t.Errorf("the resident's record: %s", res.Body)
	}
	if res := e.do(t, http.MethodGet, "/api/townhall/staff/queue?q=APP-2026-00001", nil, roleClerkX); !strings.Contains(res.Body, permitA) || !strings.Contains(res.Body, `"reference":"APP-2026-00001"`) {
		t.Errorf("the queue's search by reference: %s", res.Body)
	}
	// a resident cannot write one
	if res := e.do(t, http.MethodPatch, "/api/collections/permits/records/"+permitB, `{"reference":"APP-2026-99999"}`, roleResB); res.Status == 200 {
		t.Errorf("a resident set a reference: %s", res.Body)
	}
}

// TestApplicationReferencesForWhatWasSubmittedBefore: the migration gives
// applications submitted before references existed theirs, in the order
// they were submitted, and the counter goes on from there.
func TestApplicationReferencesForWhatWasSubmittedBefore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "permits", permitA, "submitted", map[string]any{"submitted_at": "2026-03-01 10:00:00.000Z"})
	e.setStatus(t, "permits", permitB, "submitted", map[string]any{"submitted_at": "2026-02-01 10:00:00.000Z"})
	var mig *core.Migration
	for _, m := range core.AppMigrations.Items() {
		if m.File == "1763900021_application_reference.go" {
			mig = m
		}
	}
	if mig == nil {
		t.Fatal("migration 1763900021_application_reference.go not found")
	}
	if err := mig.Down(e.app); err != nil {
		t.Fatal(err)
	}
	if err := mig.Up(e.app); err != nil {
		t.Fatal(err)
	}
	if a, b := e.record(t, "permits", permitA).GetString("reference"), e.record(t, "permits", permitB).GetString("reference"); a != "APP-2026-00002" || b != "APP-2026-00001" {
		t.Errorf("backfilled A=%q B=%q, want A=APP-2026-00002 B=APP-2026-00001", a, b)
	}
}
