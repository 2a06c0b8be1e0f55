package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/demo"
	"github.com/townhall-portal/townhall/internal/media/mediatest"
	"github.com/townhall-portal/townhall/internal/smtpsend/smtptest"
)

// clickText clicks the button whose text is text.
func (p *page) clickText(text string) {
	p.t.Helper()
	if !eval[bool](p, fmt.Sprintf(`(() => { const b = [...document.querySelectorAll("button")].find((b) => b.innerText.trim() === %q);
		if (!b) return false; b.click(); return true })()`, text)) {
		p.t.Fatalf("no button %q", text)
	}
}

// newResolvedReport files a report for resident email and has its
// department resolve it, as the server's own actions do.
func newResolvedReport(t *testing.T, email string) string {
	t.Helper()
	user, err := srv.app.FindAuthRecordByEmail("users", email)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := srv.app.FindFirstRecordByFilter("complaint_categories", "code = 'pothole'")
	if err != nil {
		t.Fatal(err)
	}
	clerk, err := srv.app.FindAuthRecordByEmail("staff", "works@pinecounty.example")
	if err != nil {
		t.Fatal(err)
	}
	col, _ := srv.app.FindCollectionByNameOrId("complaints")
	r := core.NewRecord(col)
	r.Load(map[string]any{"category": cat.Id, "reporter": user.Id, "description": "A deep pothole by the school", "address": "3 School Lane"})
	if err := srv.app.Save(r); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"acknowledge", "resolve"} {
		if _, err := srv.portal.Complaint(r.Id, a, hooks.StaffActor(clerk), "Filled with asphalt."); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	return r.Id
}

// TestEveryResidentActionRedrawsThePage: after each thing a resident can do
// on a request's page — comment, rate, reopen, withdraw — the page shows the
// new state, with no script error.
func TestEveryResidentActionRedrawsThePage(t *testing.T) {
	id := newResolvedReport(t, "john@example.com")
	p := newPage(t, 1280)
	p.signIn("john@example.com", demo.Password)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), true)`)
	p.open("/request.html?kind=complaint&id=" + id)
	p.waitText(".badge", "Resolved")
	eval[bool](p, `(window.__errors = [], addEventListener("error", (e) => window.__errors.push(e.message)), addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason))), true)`)

	p.fill("#comment", "Thank you, it looks good for now.")
	p.click("#comment-form button[type=submit]")
	p.waitText("#comment-status", "Your comment was sent.")
	p.waitText("#history", "it looks good for now")

	p.click("#rating-4")
	p.click("#rating-form button[type=submit]")
	p.waitText("#content", "Thank you for your rating.")

	p.clickText("The problem is not fixed — reopen")
	p.fill("#reopen-comment", "The hole is back after the rain.")
	p.click("#reopen-comment + * button, form:has(#reopen-comment) button[type=submit]")
	p.waitText(".badge", "In progress")
	if eval[bool](p, `!!document.querySelector("#reopen-comment")`) {
		t.Error("the reopen form is still shown after reopening")
	}
	if errs := eval[string](p, `window.__errors.join(" | ")`); errs != "" {
		t.Errorf("script errors: %s", errs)
	}
	p.axe("request-after-reopen")

	// withdrawing an application
	permit := eval[string](p, `fetch("/api/collections/permits/records?perPage=200&sort=-created", {headers: {Authorization: JSON.parse(localStorage.getItem("th_auth")).token}})
		.then((r) => r.json()).then((d) => (d.items.find((x) => x.status === "submitted" || x.status === "draft") || {}).id || "")`)
	if permit == "" {
		t.Skip("john has no application to withdraw in the demo")
	}
	p.open("/request.html?kind=permit&id=" + permit)
	eval[bool](p, `(window.confirm = () => true, window.__errors = [], addEventListener("error", (e) => window.__errors.push(e.message)), true)`)
	p.clickText("Withdraw this application")
	p.waitText(".badge", "Withdrawn")
	if errs := eval[string](p, `window.__errors.join(" | ")`); errs != "" {
		t.Errorf("script errors after withdrawing: %s", errs)
	}
}

// TestANewResidentGetsThroughWithoutMail: with no working mail server, a
// new resident signs up, is told the email could not leave and where the
// office is, is confirmed at the counter by a clerk, files a report with a
// photo, follows it and rates it once it is fixed.
func TestANewResidentGetsThroughWithoutMail(t *testing.T) {
	dead, err := smtptest.Start(smtptest.Refuse)
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	s := srv.app.Settings()
	old := s.SMTP
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, dead.Host(), dead.Port()
	defer func() { srv.app.Settings().SMTP = old }()

	p := newPage(t, 360)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), true)`)
	p.open("/signup.html")
	p.fill("#name", "Lena Ortiz")
	p.fill("#email", "lena.ortiz@example.net")
	p.fill("#password", "copper kettle meadow")
	p.fill("#passwordConfirm", "copper kettle meadow")
	p.click("#signup button[type=submit]")
	p.waitFor("#not-sent")
	p.waitText("#not-sent", "photo ID")
	p.axe("signup-not-sent")
	p.shot("signup-not-sent")

	// at the counter
	clerk := newPage(t, 1280)
	clerk.staffSignIn("clerk@pinecounty.example")
	clerk.open("/staff/intake.html")
	clerk.click("#what-confirm")
	clerk.fill("#confirm-q", "lena.ortiz")
	clerk.click("#confirm-intake button[type=submit]")
	clerk.waitFor("[data-confirm]")
	clerk.click("[data-confirm]")
	clerk.waitText("#confirm-results", "I checked") // refused until the ID is checked
	clerk.waitText("#confirm-results", "photo ID")
	clerk.click("#confirm-results input[type=checkbox]")
	clerk.click("[data-confirm]")
	clerk.waitText("#confirm-results", "Email address confirmed")
	clerk.axe("staff confirm at the counter")
	clerk.shot("staff_confirm_email")

	p.open("/verify-email.html")
	p.waitText("#content", "is confirmed")

	// applies for a fence permit, uploads the site plan, submits: a reference at once
	p.open("/apply.html?type=FNC")
	p.waitFor("#application")
	p.fill("#site_address", "12 Birch Lane, Pine Falls")
	p.fill("#f-height_feet", "6")
	p.fill("#f-length_feet", "80")
	p.click("#f-material-0")
	plan := filepath.Join(t.TempDir(), "fence-plan.pdf")
	if err := os.WriteFile(plan, mediatest.MinimalPDF(""), 0o644); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#doc-site_plan"), []string{plan}))
	p.waitText("#doc-site_plan-files", "fence-plan.pdf")
	p.click("#submit")
	p.waitText(".badge", "Submitted")
	p.waitText("#content", "APP-")

	p.open("/report.html?category=pothole")
	p.waitFor("#report")
	p.fill("#description", "A pothole in front of number 12.")
	p.fill("#address", "12 Birch Lane, Pine Falls")
	photo := filepath.Join(t.TempDir(), "hole.jpg")
	if err := os.WriteFile(photo, mediatest.StdJPEG(t, mediatest.Quadrants(320, 240), 85), 0o644); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#photos"), []string{photo}))
	p.click("#send")
	p.waitFor("#done")
	p.click("#done a.button")
	p.waitText(".badge", "Received")
	id := eval[string](p, `new URLSearchParams(location.search).get("id")`)

	// the department fixes it; the resident follows it live and rates it
	works, err := srv.app.FindAuthRecordByEmail("staff", "works@pinecounty.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"acknowledge", "resolve"} {
		if _, err := srv.portal.Complaint(id, a, hooks.StaffActor(works), "Filled on Tuesday."); err != nil {
			t.Fatal(err)
		}
	}
	p.waitText(".badge", "Resolved")
	p.waitFor("#rating-form")
	p.click("#rating-5")
	p.click("#rating-form button[type=submit]")
	p.waitText("#content", "Thank you for your rating.")
}
