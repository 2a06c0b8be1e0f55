package e2e

import (
	"github.com/townhall-portal/townhall/internal/demo"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

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
	clerk.click("[data-action=approve]")
	clerk.waitText(".badge", "Approved")
	clerk.waitFor("#payment")
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
