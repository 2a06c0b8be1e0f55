package hooks

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/townhall-portal/townhall/internal/ratinglink"
)

var rateLink = regexp.MustCompile(`/rate\.html\?t=([A-Za-z0-9_.-]+)&r=([1-5])`)

// resolveWithMail resolves complaint A as its clerk and returns the rating
// links of the reporter's email.
func resolveWithMail(t *testing.T, e *testEnv) []string {
	t.Helper()
	for _, step := range []struct{ action, body string }{{"acknowledge", ""}, {"resolve", `{"comment":"Filled."}`}} {
		if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/"+step.action, step.body, roleClerkX); res.Status != 200 {
			t.Fatalf("%s: %d %s", step.action, res.Status, res.Body)
		}
	}
	mails, err := e.app.FindRecordsByFilter("outbox", "complaint = {:c} && kind = 'complaint.resolve'", "", 0, 0, map[string]any{"c": complaintA})
	if err != nil || len(mails) != 1 {
		t.Fatalf("%d resolve mails, %v", len(mails), err)
	}
	body := mails[0].GetString("text")
	if mails[0].GetString("to") != "a@resident.test" || !strings.Contains(body, "no sign-in needed") {
		t.Fatalf("mail to %s:\n%s", mails[0].GetString("to"), body)
	}
	var links []string
	for _, m := range rateLink.FindAllStringSubmatch(body, -1) {
		links = append(links, m[1])
		if m[1] != rateLink.FindStringSubmatch(body)[1] {
			t.Errorf("the five links carry different tokens")
		}
	}
	if len(links) != 5 {
		t.Fatalf("%d rating links in:\n%s", len(links), body)
	}
	return links
}

// TestRatingLinks: the resolution email's links rate the report once,
// without signing in, for 30 days; a comment follows once; a changed token
// is refused.
func TestRatingLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// the fixture's rating of complaint A goes: this report is rated by link
	if _, err := e.app.DB().NewQuery("DELETE FROM feedback WHERE complaint = {:c}").Bind(map[string]any{"c": complaintA}).Execute(); err != nil {
		t.Fatal(err)
	}
	tok := resolveWithMail(t, e)[0]
	post := func(path, body string) response {
		return e.do(t, http.MethodPost, "/api/townhall/public/"+path, body, roleAnon)
	}
	payload, sig, _ := strings.Cut(tok, ".")
	tampered := strings.Replace(payload, payload[len(payload)-2:], "AA", 1) + "." + sig
	if payload[len(payload)-2:] == "AA" {
		tampered = payload[:len(payload)-2] + "BB." + sig
	}
	steps := []struct {
		name, path, body string
		status           int
		contains         string
	}{
		{"tampered token", "rate", `{"token":"` + tampered + `","rating":4}`, 400, "not valid"},
		{"garbage token", "rate", `{"token":"abc","rating":4}`, 400, "not valid"},
		{"rating out of range", "rate", `{"token":"` + tok + `","rating":9}`, 400, "from 1 to 5"},
		{"comment before rating", "rate/comment", `{"token":"` + tok + `","comment":"hi"}`, 400, "rating first"},
		{"valid", "rate", `{"token":"` + tok + `","rating":4}`, 200, `"reference":"SR-2026-00001"`},
		{"the same rating again (its answer lost)", "rate", `{"token":"` + tok + `","rating":4}`, 200, `"can_comment":true`},
		{"reused", "rate", `{"token":"` + tok + `","rating":1}`, 409, "already used"},
		{"empty comment", "rate/comment", `{"token":"` + tok + `","comment":"  "}`, 400, "comment first"},
		{"comment", "rate/comment", `{"token":"` + tok + `","comment":"Quick work, thanks"}`, 200, "Quick work"},
		{"the same comment again (its answer lost)", "rate/comment", `{"token":"` + tok + `","comment":"Quick work, thanks"}`, 200, "Quick work"},
		{"second comment", "rate/comment", `{"token":"` + tok + `","comment":"again"}`, 409, "no longer"},
	}
	for _, s := range steps {
		res := post(s.path, s.body)
		if res.Status != s.status || !strings.Contains(res.Body, s.contains) {
			t.Errorf("%s: %d %s, want %d with %q", s.name, res.Status, res.Body, s.status, s.contains)
		}
	}
	f, err := e.app.FindFirstRecordByFilter("feedback", "complaint = {:c}", map[string]any{"c": complaintA})
	if err != nil || f.GetInt("rating") != 4 || f.GetString("comment") != "Quick work, thanks" || f.GetString("author") != resA {
		t.Fatalf("rating %v %v", err, f)
	}
	if n := e.count(t, "feedback", "complaint = {:c}", map[string]any{"c": complaintA}); n != 1 {
		t.Errorf("%d ratings", n)
	}
	// the roll-up counts it at once
	var facts int
	_ = e.app.DB().NewQuery("SELECT count(*) FROM townhall_insight_facts WHERE request = {:c}").Bind(map[string]any{"c": complaintA}).Row(&facts)
	if facts != 1 {
		t.Errorf("%d facts", facts)
	}
}

// TestRatingLinkExpires: a link works for 30 days, and only while the
// report is resolved or closed; an already rated report gets no links.
func TestRatingLinkExpires(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.app.DB().NewQuery("DELETE FROM feedback WHERE complaint = {:c}").Bind(map[string]any{"c": complaintA}).Execute(); err != nil {
		t.Fatal(err)
	}
	tok := resolveWithMail(t, e)[2]
	e.clock.Advance(ratinglink.Valid + time.Minute)
	res := e.do(t, http.MethodPost, "/api/townhall/public/rate?lang=es", `{"token":"`+tok+`","rating":3}`, roleAnon)
	if res.Status != http.StatusGone || !strings.Contains(res.Body, "venció") {
		t.Errorf("expired: %d %s", res.Status, res.Body)
	}
	if n := e.count(t, "feedback", "complaint = {:c}", map[string]any{"c": complaintA}); n != 0 {
		t.Errorf("%d ratings from an expired link", n)
	}

	// a report rated through the site gets no links in its closing email
	e2 := newEnv(t)
	for _, step := range []string{"acknowledge", "resolve"} {
		if res := e2.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/"+step, `{"comment":"Done"}`, roleClerkX); res.Status != 200 {
			t.Fatalf("%s: %d %s", step, res.Status, res.Body)
		}
	}
	mails, _ := e2.app.FindRecordsByFilter("outbox", "complaint = {:c} && kind = 'complaint.resolve'", "", 0, 0, map[string]any{"c": complaintA})
	if len(mails) != 1 || strings.Contains(mails[0].GetString("text"), "rate.html") {
		t.Errorf("an already rated report's mail: %v", mails)
	}
}

// TestRatingLinkForADecidedPermit: the denial email's links rate the application.
func TestRatingLinkForADecidedPermit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setStatus(t, "permits", permitA, "in_review", map[string]any{"reference": "APP-2026-00009"})
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitA+"/deny", `{"comment":"The fence is too tall."}`, roleClerkX); res.Status != 200 {
		t.Fatalf("deny: %d %s", res.Status, res.Body)
	}
	mails, err := e.app.FindRecordsByFilter("outbox", "permit = {:p} && kind = 'permit.deny'", "", 0, 0, map[string]any{"p": permitA})
	if err != nil || len(mails) != 1 {
		t.Fatalf("%d mails, %v", len(mails), err)
	}
	m := rateLink.FindStringSubmatch(mails[0].GetString("text"))
	if m == nil {
		t.Fatalf("no rating link:\n%s", mails[0].GetString("text"))
	}
	res := e.do(t, http.MethodPost, "/api/townhall/public/rate", `{"token":"`+m[1]+`","rating":2}`, roleAnon)
	if res.Status != 200 || !strings.Contains(res.Body, `"kind":"permit"`) {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	if n := e.count(t, "feedback", "permit = {:p} && rating = 2 && author = {:a}", map[string]any{"p": permitA, "a": resA}); n != 1 {
		t.Errorf("%d ratings", n)
	}
}
