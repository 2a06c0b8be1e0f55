package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/demo"
	"github.com/townhall-portal/townhall/internal/media/mediatest"
)

// TestStaffPermitJourney: a clerk takes a submitted application, asks for
// changes, the resident fixes it, the clerk approves it, records the fee,
// issues the permit and opens its print view.
func TestStaffPermitJourney(t *testing.T) {
	clerk := newPage(t, 1280)
	clerk.staffSignIn("clerk@pinecounty.example")
	clerk.axe("staff queue")
	clerk.shot("staff_queue")
	clerk.open("/staff/request.html?kind=permit&id=demopermit00002")
	clerk.waitFor("[data-action=start_review]")
	clerk.axe("staff request")
	clerk.shot("staff_request")
	clerk.click("[data-action=start_review]")
	clerk.waitFor("[data-action=request_changes]")
	clerk.click("[data-action=request_changes]")
	clerk.waitFor("#action-details")
	clerk.axe("staff ask for changes")
	clerk.fill("#action-comment", "Please add the distance from the addition to the rear property line on the site plan.")
	clerk.click("#action-details button[type=submit]")
	clerk.waitText(".badge", "Changes requested")

	resident := newPage(t, 360)
	resident.signIn("maria@example.com", demo.Password)
	resident.open("/request.html?kind=permit&id=demopermit00002")
	resident.waitText("#history", "distance from the addition")
	resident.open("/apply.html?id=demopermit00002")
	resident.waitFor("#application")
	// what the clerk asked is repeated above the form the resident changes
	resident.waitText("#change-request", "distance from the addition to the rear property line")
	resident.waitText("#change-request", "Carla Jensen")
	plan := filepath.Join(t.TempDir(), "site-plan-v2.pdf")
	if err := os.WriteFile(plan, mediatest.MinimalPDF(""), 0o644); err != nil {
		t.Fatal(err)
	}
	resident.do(chromedp.SetUploadFiles(chromedp.CSS("#doc-site_plan"), []string{plan}))
	resident.waitText("#doc-site_plan-progress", "site-plan-v2.pdf")
	resident.click("#submit")
	resident.waitText(".badge", "Enviada")

	// the clerk's page follows live
	clerk.waitText(".badge", "Submitted")
	clerk.click("[data-action=start_review]")
	clerk.waitFor("[data-action=approve]")
	// the fee is taken after approval, as the applicant is told
	if eval[bool](clerk, `!!document.querySelector("#payment")`) {
		t.Error("the payment form is offered before the application is approved")
	}
	// Deny is red and asks for a confirmation before anything is sent
	if !eval[bool](clerk, `document.querySelector("[data-action=deny]").classList.contains("danger") && !document.querySelector("[data-action=approve]").classList.contains("danger")`) {
		t.Error("Deny is styled like Approve")
	}
	clerk.click("[data-action=deny]")
	clerk.waitFor("#action-details #action-confirm")
	clerk.fill("#action-comment", "Testing the confirmation.")
	clerk.click("#action-details button[type=submit]")
	clerk.waitText(".error-summary", "Tick the box to confirm")
	clerk.axe("staff deny confirmation")
	clerk.clickText("Cancel")
	if got := eval[string](clerk, `document.querySelector(".badge").textContent`); got != "In review" {
		t.Errorf("an unconfirmed denial changed the status to %q", got)
	}
	clerk.click("[data-action=approve]")
	clerk.waitText(".badge", "Approved")
	clerk.waitFor("#payment")
	if got := eval[string](clerk, `[...document.querySelectorAll("#method option")].map((o) => o.textContent).join(",")`); got != "Cash,Check,Card,Bank transfer,Waived" {
		t.Errorf("payment methods read %q", got)
	}
	clerk.fill("#reference", "R-2026-0419")
	clerk.click("#payment button[type=submit]")
	clerk.waitText("#facts-h + dl", "paid $150.00")
	clerk.click("[data-action=issue]")
	clerk.waitText(".badge", "Issued")
	number := regexp.MustCompile(`BLD-\d{4}-\d{5}`).FindString(eval[string](clerk, `document.querySelector("main").innerText`))
	if number == "" {
		t.Fatal("no permit number shown after issuing")
	}
	clerk.click("a[href^='/certificate.html']")
	clerk.waitFor(".certificate img")
	clerk.waitText(".certificate", number)
	clerk.axe("certificate (staff)")
	clerk.shot("staff_certificate")
}

// TestStaffRequestPageReadsLikeTheForm: answers show the form's labels
// (not stored values), documents their names from the permit type, the
// applicant's email and phone are there, and the page has two columns on a
// wide screen and one on a phone.
func TestStaffRequestPageReadsLikeTheForm(t *testing.T) {
	for _, width := range []int64{1280, 360} {
		p := newPage(t, width)
		p.staffSignIn("clerk@pinecounty.example")
		p.open("/staff/request.html?kind=permit&id=demopermit00002")
		p.waitFor("#answers [data-key=work_type]")
		p.waitFor("#documents li")
		answers := map[string]string{"work_type": "Addition", "owner_occupied": "Yes", "valuation": "38,000 dollars", "start_date": "March 1, 2027"}
		for key, want := range answers {
			if got := eval[string](p, `document.querySelector("#answers [data-key=`+key+`]").textContent`); got != want {
				t.Errorf("answer %s reads %q, want %q", key, got, want)
			}
		}
		p.waitText("#documents li[data-kind=site_plan]", "Site plan")
		p.waitText("#documents li[data-kind=construction_drawings]", "Construction drawings")
		if !eval[bool](p, `!!document.querySelector("#documents li[data-kind=site_plan] a[download]")`) {
			t.Error("a PDF is not offered as a download")
		}
		p.waitText("#facts-h + dl", "maria@example.com")
		cols := eval[int](p, `getComputedStyle(document.querySelector(".request-layout")).gridTemplateColumns.split(" ").length`)
		if want := map[int64]int{1280: 2, 360: 1}[width]; cols != want {
			t.Errorf("at %d px the page has %d columns, want %d", width, cols, want)
		}
		p.shot(fmt.Sprintf("staff_request_%d", width))
	}
}

// TestStaffAnswerARating: the resident's rating and comment are on the
// staff request page and in My work; the clerk answers, and the resident
// reads the answer on their own page.
func TestStaffAnswerARating(t *testing.T) {
	id := newResolvedReport(t, "john@example.com")
	report, err := srv.app.FindRecordById("complaints", id)
	if err != nil {
		t.Fatal(err)
	}
	col, _ := srv.app.FindCollectionByNameOrId("feedback")
	fb := core.NewRecord(col)
	fb.Load(map[string]any{"complaint": id, "author": report.GetString("reporter"), "department": report.GetString("department"),
		"rating": 2, "comment": "It took three weeks and two phone calls."})
	if err := srv.app.Save(fb); err != nil {
		t.Fatal(err)
	}

	clerk := newPage(t, 1280)
	clerk.staffSignIn("works@pinecounty.example")
	clerk.open("/staff/mywork.html")
	clerk.waitText("#ratings", "It took three weeks")
	clerk.waitText("#ratings", "Waiting for an answer")
	clerk.open("/staff/request.html?kind=complaint&id=" + id)
	clerk.waitText("#rating", "2 of 5")
	clerk.waitText("#rating-comment", "It took three weeks")
	clerk.axe("staff request with a rating")
	clerk.click("#rating-answer-form button[type=submit]")
	clerk.waitText(".error-summary", "Write your answer")
	clerk.fill("#answer", "Sorry for the wait: we were short of crew that month and now have a second team.")
	clerk.click("#rating-answer-form button[type=submit]")
	clerk.waitText("#rating-answer", "second team")
	clerk.waitText("#history", "rating answered")
	clerk.open("/staff/mywork.html")
	clerk.waitText("#ratings", "Answered")

	resident := newPage(t, 360)
	resident.signIn("john@example.com", demo.Password)
	eval[bool](resident, `(localStorage.setItem("th_lang", "en"), true)`)
	resident.open("/request.html?kind=complaint&id=" + id)
	resident.waitText("#rating-answer", "second team")
	resident.waitText("#history", "Answer to your rating")
}

// TestStaffReportJourney: a clerk acknowledges and resolves a report with
// the keyboard shortcuts listed on the help overlay.
func TestStaffReportJourney(t *testing.T) {
	p := newPage(t, 1280)
	p.staffSignIn("works@pinecounty.example")
	p.open("/staff/request.html?kind=complaint&id=democomplain001")
	p.waitFor("[data-action=acknowledge]")
	p.do(chromedp.KeyEvent("?"))
	p.waitFor("#shortcuts[open]")
	p.waitText("#shortcut-list", "Acknowledge")
	p.axe("staff shortcuts overlay")
	p.do(chromedp.KeyEvent("\x1b"))
	p.do(chromedp.KeyEvent("a"))
	p.waitText(".badge", "Acknowledged")
	p.do(chromedp.KeyEvent("s"))
	p.waitText(".badge", "In progress")
	p.do(chromedp.KeyEvent("r"))
	p.waitFor("#action-details")
	p.fill("#action-comment", "Filled and compacted on Monday.")
	p.click("#action-details button[type=submit]")
	p.waitText(".badge", "Resolved")
	p.waitText("#history", "Filled and compacted")
}

// TestStaffWalkInReport files a report for a caller without an account.
func TestStaffWalkInReport(t *testing.T) {
	p := newPage(t, 1280)
	p.staffSignIn("works@pinecounty.example")
	p.open("/staff/intake.html")
	p.waitFor("#report-intake")
	p.axe("staff intake")
	p.shot("staff_intake")
	p.choose("#category", "democatdumping1")
	p.fill("#contact_name", "Ada Reyes")
	p.fill("#contact_phone", "555-0199")
	p.fill("#description", "Old mattresses dumped at the end of Cedar Road.")
	p.fill("#address", "Cedar Road, north end")
	p.click("#report-intake button[type=submit]")
	p.waitText("#done", "is filed")
	p.click("#done a")
	p.waitText("main", "Ada Reyes")
	p.waitText("main", "Illegal dumping")
	p.axe("staff request (walk-in)")
	p.open("/staff/mywork.html")
	p.waitFor("#assigned")
	p.axe("staff my work")
}

// TestStaffOfAnotherDepartmentIsRefused: the public-works clerk cannot open
// a planning application, and the page says why.
func TestStaffOfAnotherDepartmentIsRefused(t *testing.T) {
	p := newPage(t, 1280)
	p.staffSignIn("works@pinecounty.example")
	p.open("/staff/request.html?kind=permit&id=demopermit00004")
	p.waitText(".notice", "belongs to another department")
	p.axe("staff refused")
	p.open("/staff/request.html?kind=complaint&id=democomplain004")
	p.waitText(".notice", "belongs to another department")
}

// TestStaffPagesAccessible checks the staff pages not covered by the journeys.
func TestStaffPagesAccessible(t *testing.T) {
	p := newPage(t, 1280)
	for _, path := range []string{"/staff/signin.html", "/staff/reset-password.html", "/staff/reset-password.html?token=x"} {
		p.open(path)
		p.waitFor("main form")
		p.axe(path)
		p.shot("staff" + path)
	}
	p.staffSignIn("director@pinecounty.example")
	p.open("/staff/intake.html")
	p.waitFor("#report-intake")
	p.click("#what-permit")
	p.waitFor("#permit-intake")
	p.choose("#permit_type", "demotypefnc0001")
	p.waitFor("#questions input")
	p.axe("staff intake (permit)")
	p.shot("staff_intake_permit")
	p.open("/staff/mywork.html")
	p.waitFor("#escalated")
	p.axe("staff my work (director)")
	p.open("/staff/?overdue=1&kind=complaint")
	p.waitFor("#queue tbody tr")
	p.axe("staff queue filtered")
}

// TestDirectorPublishesANotice: the director publishes a notice in the
// staff console; residents see it as a banner until the director ends it.
func TestDirectorPublishesANotice(t *testing.T) {
	d := newPage(t, 1280)
	d.staffSignIn("director@pinecounty.example")
	d.open("/staff/announcements.html")
	d.waitFor("#new-notice")
	d.axe("staff notices")
	d.click("#new-notice button[type=submit]")
	d.waitText(".error-summary", "Write a title in English")
	d.fill("#title_en", "Trash pickup moves to Saturday this week")
	d.fill("#title_es", "La recolección de basura pasa al sábado esta semana")
	d.choose("#severity", "warning")
	d.choose("#shows_on", "site")
	d.click("#topic-trash") // emailed to those who follow trash pickup
	d.click("#new-notice button[type=submit]")
	d.waitText("#notices-table", "In force")
	if n, err := srv.app.FindFirstRecordByData("announcements", "title_en", "Trash pickup moves to Saturday this week"); err != nil ||
		len(n.GetStringSlice("topics")) != 1 {
		t.Errorf("the notice's topics: %v %v", err, n)
	}

	p := newPage(t, 360)
	eval[bool](p, `(localStorage.setItem("th_lang", "es"), true)`)
	p.open("/")
	p.waitText("#notices .banner.warning", "pasa al sábado")

	d.click("#notices-table tbody tr:first-child td:last-child button")
	d.waitText("#notices-table", "Ended")
	p.open("/")
	p.waitFor("#permits .card")
	if eval[bool](p, `!!document.querySelector("#notices .banner.warning")`) {
		t.Error("an ended notice still shows")
	}

	clerk := newPage(t, 1280)
	clerk.staffSignIn("works@pinecounty.example")
	if eval[bool](clerk, `!!document.querySelector("a[href='/staff/announcements.html']")`) {
		t.Error("a clerk is offered the notices page")
	}
}
