package hooks

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/pb_public"
)

// TestEveryEmailLinkOpensAPage: every link in every email (the account
// templates of residents, staff and administrators, and the messages our
// actions queue) opens a page that exists: an embedded page of the site, or
// PocketBase's dashboard for administrators.
func TestEveryEmailLinkOpensAPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const site = "https://portal.county.test"
	e.app.Settings().Meta.AppURL = site

	exists := func(path string) bool {
		path, _, _ = strings.Cut(path, "?")
		path, _, _ = strings.Cut(path, "#")
		if strings.HasPrefix(path, "/_/") {
			return true // PocketBase's dashboard
		}
		name := strings.TrimPrefix(path, "/")
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		_, err := fs.Stat(pb_public.FS, name)
		return err == nil
	}

	templateLink := regexp.MustCompile(`\{APP_URL\}(/[^"'\s<>]*)`)
	links := 0
	for _, name := range []string{"users", "staff", core.CollectionNameSuperusers} {
		c, err := e.app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		for what, tpl := range map[string]core.EmailTemplate{
			"verification": c.VerificationTemplate, "password reset": c.ResetPasswordTemplate,
			"email change": c.ConfirmEmailChangeTemplate, "one-time code": c.OTP.EmailTemplate, "new sign-in": c.AuthAlert.EmailTemplate,
		} {
			for _, m := range templateLink.FindAllStringSubmatch(tpl.Body, -1) {
				links++
				if !exists(m[1]) {
					t.Errorf("%s %s email links to %s, which is no page", name, what, m[1])
				}
			}
		}
	}

	// the messages our actions send: a permit's whole life, a report's, a
	// comment both ways, an escalation and the account notices
	e.setStatus(t, "permits", permitB, "draft", nil)
	steps := []struct{ path, body, role string }{
		{"permits/" + permitB + "/submit", "", roleResB},
		{"permits/" + permitB + "/start_review", "", roleClerkY},
		{"permits/" + permitB + "/comment", `{"comment":"Please call us."}`, roleClerkY},
		{"permits/" + permitB + "/comment", `{"comment":"I called."}`, roleResB},
		{"permits/" + permitB + "/request_changes", `{"comment":"A plan, please."}`, roleClerkY},
		{"permits/" + permitB + "/submit", "", roleResB},
		{"permits/" + permitB + "/start_review", "", roleClerkY},
		{"permits/" + permitB + "/approve", "", roleClerkY},
		{"permits/" + permitB + "/payment", `{"amount":40,"method":"cash"}`, roleClerkY},
		{"permits/" + permitB + "/issue", "", roleClerkY},
		{"complaints/" + complaintA + "/assign", `{"assignee":"` + supX + `"}`, roleClerkX},
		{"complaints/" + complaintA + "/acknowledge", "", roleClerkX},
		{"complaints/" + complaintA + "/resolve", `{"comment":"Fixed."}`, roleClerkX},
		{"complaints/" + complaintA + "/reopen", `{"comment":"Still broken."}`, roleResA},
	}
	for _, s := range steps {
		if res := e.do(t, http.MethodPost, "/api/townhall/"+s.path, s.body, s.role); res.Status != 200 {
			t.Fatalf("%s: %d %s", s.path, res.Status, res.Body)
		}
	}
	fileReport(t, e, roleResB, `{"category":"`+catY+`","reporter":"`+resB+`","description":"Dark street","address":"2 B Street"}`)
	e.clock.Advance(30 * 24 * 3600e9)
	if _, err := e.portal.EscalateOverdue(false); err != nil {
		t.Fatal(err)
	}
	// a topic alert
	subscribe(t, e, roleResA, resA, topicID(t, e, "water"))
	announce(t, e, map[string]any{"title_en": "Water off", "severity": "outage", "shows_on": "site",
		"starts_at": e.portal.now().UTC().Format("2006-01-02 15:04:05.000Z"), "topics": []string{topicID(t, e, "water")}})
	if _, err := e.portal.QueueAlerts(); err != nil {
		t.Fatal(err)
	}
	e.do(t, http.MethodPost, "/api/collections/users/records", signUpBody("a@resident.test", "maple-harbor-lantern", "maple-harbor-lantern"), roleAnon)
	e.do(t, http.MethodPost, "/api/collections/users/request-email-change", `{"newEmail":"b@resident.test"}`, roleResA)

	mailLink := regexp.MustCompile(regexp.QuoteMeta(site) + `(/[^\s"'<>]*)`)
	var msgs []*core.Record
	if err := e.app.RecordQuery("outbox").All(&msgs); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, m := range msgs {
		kinds[m.GetString("kind")] = true
		for _, l := range mailLink.FindAllStringSubmatch(m.GetString("text")+" "+m.GetString("html"), -1) {
			links++
			if !exists(l[1]) {
				t.Errorf("the %s email links to %s, which is no page", m.GetString("kind"), l[1])
			}
		}
	}
	for _, k := range []string{"permit.submit", "permit.issue", "permit.comment", "permit.comment_staff", "complaint.escalated", "account.exists", "account.move", alertKind} {
		if !kinds[k] {
			t.Errorf("no %s email was sent, so its links were not checked (sent: %v)", k, kinds)
		}
	}
	if links < 20 {
		t.Errorf("only %d links checked", links)
	}
}
