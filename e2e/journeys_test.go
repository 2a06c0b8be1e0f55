package e2e

import (
	"context"
	"encoding/json"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/townhall-portal/townhall/internal/demo"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/townhall-portal/townhall/internal/media/mediatest"
)

// TestJourneySignUpApplyAndFollow: a new resident signs up, confirms the
// email from the message we send, applies for a fence permit with a site
// plan (upload progress shown), submits it and sees its status.
func TestJourneySignUpApplyAndFollow(t *testing.T) {
	p := newPage(t, 1280)
	p.open("/signup.html")
	p.axe("signup")
	p.fill("#name", "Rosa Alvarez")
	p.fill("#email", "rosa@example.net")
	p.fill("#password", "a long fence password")
	p.fill("#passwordConfirm", "a long fence password")
	p.click("#signup button[type=submit]")
	p.waitText("#content", "rosa@example.net")
	p.axe("signup-done")

	mail := lastMailTo(t, "rosa@example.net")
	token := regexp.MustCompile(`verify-email\.html\?token=([A-Za-z0-9._-]+)`).FindStringSubmatch(mail)
	if token == nil {
		t.Fatalf("no confirmation link in the email: %s", mail)
	}
	p.open("/verify-email.html?token=" + token[1])
	p.waitText("#content", "confirmed")
	p.axe("verify-email-done")

	p.open("/apply.html?type=FNC")
	p.waitFor("#application")
	p.axe("apply")
	p.shot("apply")
	p.fill("#site_address", "7 Birch Lane, Pine Falls")
	p.fill("#f-height_feet", "6")
	p.fill("#f-length_feet", "140")
	p.click("#f-material-0")
	p.click("#save")
	p.waitText("#form-status", "saved")

	plan := filepath.Join(t.TempDir(), "site-plan.pdf")
	if err := os.WriteFile(plan, mediatest.MinimalPDF(""), 0o644); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#doc-site_plan"), []string{plan}))
	p.waitText("#doc-site_plan-progress", "uploaded")
	if v := eval[int](p, `document.querySelector("#doc-site_plan-progress progress").value`); v != 100 {
		t.Errorf("the progress bar ended at %d", v)
	}
	p.axe("apply-with-document")
	p.click("#submit")
	p.waitText(".badge", "Submitted")
	p.waitText("#history", "Submitted")
	p.axe("request-permit")
	p.shot("request-permit")
}

// TestJourneyApplicationErrorsNextToFields: submitting a half-filled
// application shows each server message next to its field and in the summary.
func TestJourneyApplicationErrorsNextToFields(t *testing.T) {
	p := newPage(t, 360)
	p.signIn("john@example.com", demo.Password)
	p.open("/apply.html?type=FNC")
	p.waitFor("#application")
	p.fill("#f-height_feet", "12")
	p.click("#submit")
	p.waitFor(".error-summary")
	p.waitText(".error-summary", "Fence height must be between 1 and 8 feet")
	p.waitText("#f-height_feet-error, .field-error", "between 1 and 8")
	if got := eval[string](p, `document.activeElement.className`); !strings.Contains(got, "error-summary") {
		t.Errorf("focus is on %q, not the error summary", got)
	}
	if eval[string](p, `document.querySelector("#f-height_feet").getAttribute("aria-invalid")`) != "true" {
		t.Error("the field is not marked invalid")
	}
	p.axe("apply-errors")
	p.shot("apply-errors")
}

// TestJourneyReportAProblemWithAPhoto files a report with a photo and finds
// it in My requests.
func TestJourneyReportAProblemWithAPhoto(t *testing.T) {
	p := newPage(t, 360)
	p.signIn("maria@example.com", demo.Password)
	p.open("/report.html?category=pothole")
	p.waitFor("#report")
	p.axe("report")
	p.shot("report")
	p.fill("#description", "Big pothole in front of the bakery, about 50 cm wide.")
	p.fill("#address", "9 Main Street, Pine Falls")
	photo := filepath.Join(t.TempDir(), "pothole.jpg")
	if err := os.WriteFile(photo, mediatest.StdJPEG(t, mediatest.Quadrants(640, 480), 85), 0o644); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#photos"), []string{photo}))
	p.click("#send")
	p.waitFor("#done")
	ref := regexp.MustCompile(`SR-\d{4}-\d{5}`).FindString(eval[string](p, `document.querySelector("#done").innerText`))
	if ref == "" {
		t.Fatal("no reference shown")
	}
	p.axe("report-done")
	p.open("/my.html")
	p.waitText("#reports", ref)
	p.axe("my")
	p.shot("my")
	p.click("#reports a")
	p.waitText("h1", ref)
	p.waitFor("#documents img")
	p.axe("request-complaint")
}

// TestJourneyVerifyAPermit checks a demo permit number without signing in.
func TestJourneyVerifyAPermit(t *testing.T) {
	p := newPage(t, 1280)
	p.open("/verify.html")
	p.axe("verify")
	p.fill("#number", "fnc-2026-00001")
	p.click("#verify button[type=submit]")
	p.waitText("#result", "This permit is valid.")
	p.waitText("#result", "Fence permit")
	p.axe("verify-result")
	p.shot("verify-result")
	p.fill("#number", "FNC-2026-99999")
	p.click("#verify button[type=submit]")
	p.waitText(".error-summary", "No permit has this number")
}

// TestJourneySwitchToSpanish switches the language, which is remembered on
// this device and in the profile.
func TestJourneySwitchToSpanish(t *testing.T) {
	p := newPage(t, 1280)
	p.signIn("john@example.com", demo.Password)
	p.open("/")
	p.click("[data-testid=lang-switch]")
	p.waitText(".site-nav", "Servicios")
	if l := eval[string](p, "document.documentElement.lang"); l != "es" {
		t.Fatalf("<html lang> is %q", l)
	}
	p.open("/help.html")
	p.waitText("h1", "Ayuda")
	u, err := srv.app.FindAuthRecordByEmail("users", "john@example.com")
	if err != nil || u.GetString("language") != "es" {
		t.Errorf("the profile language is %q (%v)", u.GetString("language"), err)
	}
	p.click("[data-testid=lang-switch]")
	p.waitText(".site-nav", "Services")
}

// TestKeyboardOnly signs in and reaches My requests with the keyboard alone:
// the skip link first, then the form fields, Enter to send.
func TestKeyboardOnly(t *testing.T) {
	p := newPage(t, 1280)
	p.open("/signin.html")
	p.do(chromedp.KeyEvent("\t"))
	if got := eval[string](p, `document.activeElement.className`); got != "skip-link" {
		t.Fatalf("the first Tab lands on %q, not the skip link", got)
	}
	p.do(chromedp.KeyEvent("\r"))
	p.waitText("h1", "Sign in")
	// from the main content, Tab reaches the email field
	for i := 0; i < 5 && eval[string](p, `document.activeElement.id`) != "email"; i++ {
		p.do(chromedp.KeyEvent("\t"))
	}
	if eval[string](p, `document.activeElement.id`) != "email" {
		t.Fatal("Tab never reached the email field")
	}
	p.do(chromedp.KeyEvent("john@example.com"), chromedp.KeyEvent("\t"), chromedp.KeyEvent(demo.Password), chromedp.KeyEvent("\r"))
	p.waitText("h1", "My requests")
	// the focus ring is visible on a focused link
	p.do(chromedp.KeyEvent("\t"))
	if style := eval[string](p, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
		t.Errorf("the focused element shows no outline")
	}
}

// TestSignInNeverLeavesTheSite: a crafted next= cannot send a resident to
// another site after signing in.
func TestSignInNeverLeavesTheSite(t *testing.T) {
	// the rule itself, for residents and staff
	p := newPage(t, 1280)
	p.open("/signin.html")
	for next, want := range map[string]string{
		"/my.html?x=1":              "/my.html?x=1",
		"/request.html#history":     "/request.html#history",
		"/.//evil.example/":         "",
		srv.url + "//evil.example/": "",
		srv.url + "/my.html":        "",
		"//evil.example":            "",
		"/\\evil.example":           "",
		"/\t/evil.example":          "",
		"https://evil.example/":     "",
		"javascript:alert(1)":       "",
		"/staff/../../evil":         "/evil",
	} {
		js := "import('/js/ui.js').then((m) => m.safeNext(" + jsString(next) + "))"
		if got := eval[string](p, js); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
	if got := eval[string](p, "import('/js/ui.js').then((m) => m.safeNext('/my.html', '/staff/'))"); got != "" {
		t.Errorf("staff sign-in follows a resident page: %q", got)
	}
	// and the whole sign-in, side by side, for each kind of disguise
	for _, next := range []string{"/%5Cevil.example", "/%09/evil.example", "//evil.example", "https://evil.example/", "/.//evil.example/", url.QueryEscape(srv.url + "//evil.example/")} {
		t.Run(next, func(t *testing.T) {
			t.Parallel()
			p := newPage(t, 1280)
			p.open("/signin.html?next=" + next)
			p.fill("#email", "john@example.com")
			p.fill("#password", demo.Password)
			p.click("#signin button[type=submit]")
			p.waitFor("a[href='/profile.html']")
			if got := eval[string](p, "location.origin + ' ' + location.pathname"); got != srv.url+" /my.html" {
				t.Errorf("next=%s sent the resident to %s", next, got)
			}
		})
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestJourneyChangeEmail: a resident asks for a new address on the profile,
// opens the link sent to it, confirms with the password and signs in with
// the new address.
func TestJourneyChangeEmail(t *testing.T) {
	email := "change-me@example.net"
	if _, err := srv.app.FindAuthRecordByEmail("users", email); err != nil {
		col, err := srv.app.FindCollectionByNameOrId("users")
		if err != nil {
			t.Fatal(err)
		}
		u := core.NewRecord(col)
		u.SetEmail(email)
		u.SetVerified(true)
		u.SetPassword(demo.Password)
		u.Set("name", "Changing Person")
		if err := srv.app.Save(u); err != nil {
			t.Fatal(err)
		}
	}
	p := newPage(t, 1280)
	p.signIn(email, demo.Password)
	p.open("/profile.html")
	p.waitFor("#change-email")
	p.fill("#new-email", "changed@example.net")
	p.click("#change-email button[type=submit]")
	p.waitText("#email-status", "changed@example.net")
	mail := lastMailTo(t, "changed@example.net")
	token := regexp.MustCompile(`confirm-email\.html\?token=([A-Za-z0-9._-]+)`).FindStringSubmatch(mail)
	if token == nil {
		t.Fatalf("no confirmation link in the email: %s", mail)
	}
	p.open("/confirm-email.html?token=" + token[1])
	p.waitFor("#confirm-email")
	p.axe("confirm-email")
	p.fill("#password", demo.Password)
	p.click("#confirm-email button[type=submit]")
	p.waitText("#content", "changed")
	p.signIn("changed@example.net", demo.Password)
}

// TestAFaultKeepsWhatTheResidentTyped: when the server answers with one of
// its own faults (here a full disk, 507, as hooks answer it), the report form
// says so in the resident's language and keeps everything typed, so that
// sending again later needs no retyping.
func TestAFaultKeepsWhatTheResidentTyped(t *testing.T) {
	p := newPage(t, 360)
	p.signIn("maria@example.com", demo.Password)
	p.open("/report.html?category=pothole")
	p.waitFor("#report")
	p.fill("#description", "Bache enorme frente a la panadería.")
	p.fill("#address", "9 Main Street, Pine Falls")

	// the next report the page sends meets a full disk
	body, _ := json.Marshal(map[string]any{"status": 507, "data": map[string]any{},
		"message": "El servidor del condado se quedó sin espacio. No se perdió nada de lo que escribió: intente de nuevo más tarde o comuníquese con la oficina si es urgente."})
	p.intercept("*/api/collections/complaints/records", fetch.RequestStageRequest, func(ctx context.Context, tg *chromedp.Target, id fetch.RequestID) error {
		_, err := cdp.Call(ctx, tg, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: 507,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}, {Name: "Retry-After", Value: "300"}},
			Body:            body})
		return err
	})

	p.click("#send")
	p.waitText("#main", "No se perdió nada")
	if got := eval[string](p, `document.querySelector("#description").value + " | " + document.querySelector("#address").value`); got != "Bache enorme frente a la panadería. | 9 Main Street, Pine Falls" {
		t.Errorf("after the fault the form holds %q", got)
	}
	p.axe("report-fault")
}

// TestTheAccountsLanguageWins: after María (Spanish) used this browser,
// John (English) signs in and gets English pages; switching the language on
// a page changes his profile.
func TestTheAccountsLanguageWins(t *testing.T) {
	p := newPage(t, 1280)
	eval[bool](p, `(localStorage.setItem("th_lang", "es"), true)`)
	p.signIn("john@example.com", demo.Password)
	p.open("/my.html")
	if got := eval[string](p, "document.documentElement.lang"); got != "en" {
		t.Errorf("John's pages are in %q after María used the browser", got)
	}
	john, err := srv.app.FindAuthRecordByEmail("users", "john@example.com")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { // John goes back to English for the other tests
		john.Set("language", "en")
		_ = srv.app.Save(john)
	}()
	p.click("button[lang=es]")
	for deadline := time.Now().Add(10 * time.Second); eval[string](p, "document.documentElement.lang") != "es"; {
		if time.Now().After(deadline) {
			t.Fatalf("after switching, the page is in %q", eval[string](p, "document.documentElement.lang"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	// the page shows Spanish at once and saves the profile just after
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		fresh, _ := srv.app.FindRecordById("users", john.Id)
		if fresh.GetString("language") == "es" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the profile says %q after switching to Spanish", fresh.GetString("language"))
		}
	}
}

// TestAfterSignUpTheHeaderSaysSignedIn: the header offers the profile, not
// "Sign in", once the new resident is signed in.
func TestAfterSignUpTheHeaderSaysSignedIn(t *testing.T) {
	p := newPage(t, 1280)
	p.open("/signup.html")
	p.fill("#name", "Ana Lopez")
	p.fill("#email", "ana.lopez@example.net")
	p.fill("#password", "harbor maple lantern")
	p.fill("#passwordConfirm", "harbor maple lantern")
	p.click("#signup button[type=submit]")
	p.waitFor("#done")
	if !eval[bool](p, `!!document.querySelector(".site-header a[href='/profile.html']") && !document.querySelector(".site-header a[href='/signin.html']")`) {
		t.Errorf("the header after sign-up: %s", eval[string](p, `document.querySelector(".site-header").innerText`))
	}
}

// TestADraftSavesWhatWasTyped: an out-of-range answer does not stop saving
// a draft; the page says what submission will still need.
func TestADraftSavesWhatWasTyped(t *testing.T) {
	p := newPage(t, 1280)
	p.signIn("john@example.com", demo.Password)
	p.open("/apply.html?type=FNC")
	p.waitFor("#application")
	p.fill("#site_address", "4 Elm Street, Pine Falls")
	p.fill("#f-height_feet", "12")
	p.click("#save")
	p.waitText("#form-status", "saved")
	p.waitFor("#before-submit")
	p.waitText("#before-submit", "Fence height must be between 1 and 8 feet")
	p.waitText("#before-submit", "site plan")
	if eval[bool](p, `!!document.querySelector(".error-summary")`) {
		t.Error("saving a draft showed errors")
	}
	p.axe("apply-saved-with-todo")
	p.shot("apply-saved-with-todo")
	// what was typed is there after a reload
	p.open(eval[string](p, "location.pathname + location.search"))
	p.waitFor("#application")
	if got := eval[string](p, `document.querySelector("#f-height_feet").value`); got != "12" {
		t.Errorf("the draft holds height %q", got)
	}
}

// TestAFailedUploadSaysWhyAtTheFile: when a file cannot be uploaded —
// because the draft could not be saved first, or because the server refuses
// the file — the reason is at the file, in the resident's language, and the
// file box is emptied so that it never shows a file that is not uploaded.
func TestAFailedUploadSaysWhyAtTheFile(t *testing.T) {
	p := newPage(t, 360)
	p.signIn("maria@example.com", demo.Password)
	p.open("/apply.html?type=FNC")
	p.waitFor("#doc-site_plan")
	dir := t.TempDir()
	broken := filepath.Join(dir, "plano.pdf")
	if err := os.WriteFile(broken, []byte("%PDF-1.4\nthis is not really a PDF"), 0o644); err != nil {
		t.Fatal(err)
	}

	// the draft cannot be saved (the connection drops)
	eval[bool](p, `(window.__fetch = window.fetch, window.fetch = (u, o) => String(u).includes("/api/collections/permits/records") && o && o.method === "POST" ? Promise.reject(new TypeError("offline")) : window.__fetch(u, o), true)`)
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#doc-site_plan"), []string{broken}))
	p.waitText("#doc-site_plan-progress", "plano.pdf no se subió: primero no se pudo guardar su solicitud")
	if got := eval[string](p, `document.querySelector("#doc-site_plan").value + "|" + document.querySelector("#doc-site_plan").getAttribute("aria-invalid")`); got != "|true" {
		t.Errorf("after a failed upload the file box holds %q", got)
	}
	p.axe("apply: upload failed")
	p.shot("apply_upload_failed")

	// the connection is back; the server refuses the file itself
	eval[bool](p, `(window.fetch = window.__fetch, true)`)
	p.do(chromedp.SetUploadFiles(chromedp.CSS("#doc-site_plan"), []string{broken}))
	p.waitText("#doc-site_plan-progress", "plano.pdf no se subió: Este PDF")
	p.waitText("#doc-site_plan-state", "Todavía no se ha subido")
	if got := eval[string](p, `document.querySelector("#doc-site_plan").value`); got != "" {
		t.Errorf("the file box still shows %q", got)
	}
}

// TestTheHeaderStaysShort: on a phone the header is one row with a Menu
// button (a disclosure that Escape closes); signed in on a wide screen it is
// at most two rows, in Spanish too.
func TestTheHeaderStaysShort(t *testing.T) {
	rows := func(p *page) int {
		return eval[int](p, `new Set([...document.querySelectorAll(".site-header .brand, .site-header .lang-switch, .site-header .menu-toggle, .site-header li")]
			.filter((el) => el.getClientRects().length).map((el) => Math.round(el.getBoundingClientRect().top / 8))).size`)
	}
	phone := newPage(t, 360)
	phone.signIn("maria@example.com", demo.Password)
	phone.open("/my.html")
	phone.waitFor(".menu-toggle")
	if n := rows(phone); n != 1 {
		t.Errorf("at 360 px the closed header has %d rows", n)
	}
	if eval[bool](phone, `document.querySelector(".site-nav").getClientRects().length > 0`) {
		t.Error("at 360 px the links show before the menu is opened")
	}
	phone.click(".menu-toggle")
	phone.waitFor(".site-nav a[href='/report.html']")
	if got := eval[string](phone, `document.querySelector(".menu-toggle").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("the open menu's button says aria-expanded=%s", got)
	}
	phone.waitText(".account-nav", "Cerrar sesión")
	phone.axe("header menu open (phone)")
	phone.shot("header_menu_open")
	phone.do(chromedp.KeyEvent("\x1b"))
	if !eval[bool](phone, `document.activeElement.classList.contains("menu-toggle") && document.querySelector(".menu-toggle").getAttribute("aria-expanded") === "false"`) {
		t.Error("Escape does not close the menu and return to its button")
	}

	wide := newPage(t, 1280)
	wide.signIn("maria@example.com", demo.Password)
	wide.open("/my.html")
	wide.waitFor(".site-nav a[href='/report.html']")
	if eval[bool](wide, `document.querySelector(".menu-toggle").getClientRects().length > 0`) {
		t.Error("the Menu button shows on a wide screen")
	}
	if n := rows(wide); n > 2 {
		t.Errorf("signed in at 1280 px in Spanish the header has %d rows", n)
	}
	wide.shot("header_wide_es")
}

// TestCountsAndEmptyPagesReadRight: counts use the language's plural forms;
// a catalogue with no services says so (not "nothing matches your search"),
// and the help page drops an empty Departments heading.
func TestCountsAndEmptyPagesReadRight(t *testing.T) {
	p := newPage(t, 1280)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), true)`)
	p.open("/")
	p.waitFor("#permits .card")
	p.fill("#q", "fence")
	p.waitText("#count", "1 service shown")
	if got := eval[string](p, `document.querySelector("#count").textContent`); got != "1 service shown" {
		t.Errorf("the count reads %q", got)
	}
	if got := eval[string](p, `document.querySelector("link[rel=icon]").getAttribute("href")`); got != "/favicon.svg" {
		t.Errorf("the favicon link is %q", got)
	}
	if res, err := http.Get(srv.url + "/favicon.svg"); err != nil || res.StatusCode != 200 {
		t.Errorf("the favicon: %v %v", res, err)
	}

	// the same site on an install with nothing set up yet
	var switched []*core.Record
	for _, c := range []string{"permit_types", "complaint_categories", "departments"} {
		recs, err := srv.app.FindRecordsByFilter(c, "active = true", "", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			r.Set("active", false)
			if err := srv.app.Save(r); err != nil {
				t.Fatal(err)
			}
			switched = append(switched, r)
		}
	}
	defer func() {
		for _, r := range switched {
			r.Set("active", true)
			if err := srv.app.Save(r); err != nil {
				t.Error(err)
			}
		}
	}()
	p.open("/")
	p.waitText("#permits", "No services are set up yet")
	p.open("/help.html")
	p.waitFor("#office dl")
	if eval[bool](p, `!document.querySelector("#departments").closest("section").hidden`) {
		t.Error("the help page shows an empty Departments heading")
	}
}

// TestDatesReadInTheTownsTimeZone: a reader in another time zone sees
// deadlines in the town's (America/Chicago in the demo).
func TestDatesReadInTheTownsTimeZone(t *testing.T) {
	p := newPage(t, 1280)
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Tokyo"})
		return err
	}))
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), localStorage.removeItem("th_tz"), sessionStorage.clear(), true)`)
	p.open("/")
	p.waitFor("#permits .card")
	p.open("/help.html")
	got := eval[string](p, `import("/js/ui.js").then((m) => m.formatDate("2026-12-02 05:30:00.000Z", true))`)
	if got != "Dec 1, 2026, 11:30 PM" {
		t.Errorf("05:30 UTC reads %q in Tokyo; the town (Chicago) says Dec 1, 2026, 11:30 PM", got)
	}
}

// TestMyDataDownloadAndDelete: from the profile a resident downloads their
// data as a zip and deletes their account with their password; the privacy
// page is linked from the footer.
func TestMyDataDownloadAndDelete(t *testing.T) {
	// a resident of their own, so the demo residents stay for other tests
	col, _ := srv.app.FindCollectionByNameOrId("users")
	u := core.NewRecord(col)
	u.SetEmail("leaving@example.com")
	u.SetPassword("a-long-and-unusual-passphrase")
	u.SetVerified(true)
	u.Set("name", "Lee Leaving")
	u.Set("language", "en")
	if err := srv.app.Save(u); err != nil {
		t.Fatal(err)
	}
	p := newPage(t, 1280)
	p.signIn("leaving@example.com", "a-long-and-unusual-passphrase")
	p.open("/profile.html")
	p.waitFor("#delete-account")
	p.waitFor("#site-footer a[href='/privacy.html']")
	p.click("#download-data")
	p.waitText("#data-status", "my-data-")
	p.click("#delete-account button[type=submit]")
	p.waitText(".error-summary", "current password")
	p.axe("profile: delete needs the password")
	p.fill("#delete-password", "a-long-and-unusual-passphrase")
	p.click("#delete-account button[type=submit]")
	p.waitText("#deleted", "Your account is deleted")
	if _, err := srv.app.FindAuthRecordByEmail("users", "leaving@example.com"); err == nil {
		t.Error("the account is still there")
	}
	if !eval[bool](p, `!!document.querySelector(".site-header a[href='/signin.html']")`) {
		t.Error("after deleting, the header does not offer to sign in")
	}
	p.shot("profile_deleted")
}

// TestBannersAndTheStatusPage: notices in force show under the header of
// every page (an outage is announced to screen readers; an information notice
// can be hidden and stays hidden), in both languages with no axe violation;
// the Service status page lists them; maintenance mode shows its message.
func TestBannersAndTheStatusPage(t *testing.T) {
	col, _ := srv.app.FindCollectionByNameOrId("announcements")
	var made []*core.Record
	for _, f := range []map[string]any{
		{"title_en": "Online payments are down", "title_es": "Los pagos en línea no funcionan", "body_en": "Pay at the office until it is fixed.",
			"body_es": "Pague en la oficina hasta que se arregle.", "severity": "outage", "starts_at": "2026-01-01 00:00:00.000Z", "shows_on": "both"},
		{"title_en": "New office hours from January", "title_es": "Nuevo horario desde enero", "severity": "info",
			"starts_at": "2026-01-01 00:00:00.000Z", "shows_on": "site"},
	} {
		r := core.NewRecord(col)
		r.Load(f)
		if err := srv.app.Save(r); err != nil {
			t.Fatal(err)
		}
		made = append(made, r)
	}
	defer func() {
		for _, r := range made {
			_ = srv.app.Delete(r)
		}
		_ = srv.portal.SetMaintenance(false, "", "")
	}()

	p := newPage(t, 360)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), localStorage.removeItem("th_dismissed"), true)`)
	p.open("/")
	p.waitText("#notices .banner.outage[role=alert]", "Online payments are down")
	p.waitText("#notices .banner.info", "New office hours")
	p.axe("home with banners")
	p.shot("banners")
	p.click("#notices .banner.info .banner-close")
	p.open("/report.html")
	p.waitText("#notices", "Online payments are down")
	if eval[bool](p, `!!document.querySelector("#notices .banner.info")`) {
		t.Error("a hidden information notice came back on the next page")
	}
	p.open("/status.html")
	p.waitText("#status-now", "Pay at the office")
	p.axe("status page with notices")
	eval[bool](p, `(localStorage.setItem("th_lang", "es"), true)`)
	p.open("/status.html")
	p.waitText("#status-now", "Pague en la oficina")
	p.waitText("#notices", "Los pagos en línea no funcionan")
	p.axe("status page with notices (es)")

	staff := newPage(t, 1280)
	staff.staffSignIn("works@pinecounty.example")
	staff.waitText("#notices", "Online payments are down")
	if eval[bool](staff, `!!document.querySelector("#notices .banner.info")`) {
		t.Error("a notice for the resident site shows in the staff console")
	}

	if err := srv.portal.SetMaintenance(true, "We are moving to a new server; back by 9 PM.", "Nos mudamos a un servidor nuevo; volvemos a las 9 p. m."); err != nil {
		t.Fatal(err)
	}
	p.open("/")
	p.waitText("#notices .banner.outage", "volvemos a las 9")
	p.axe("maintenance banner (es)")
}

// TestReportAsksTheCategorysQuestions: a category's extra questions (the
// ones Open311 clients answer as attributes) are asked on the report form,
// refused with a reason when a required one is missing, and shown to staff
// with their labels.
func TestReportAsksTheCategorysQuestions(t *testing.T) {
	cat, err := srv.app.FindFirstRecordByFilter("complaint_categories", "code = 'pothole'")
	if err != nil {
		t.Fatal(err)
	}
	before := cat.GetString("questions")
	cat.Set("questions", `[{"key":"lane","kind":"choice","required":true,"label":{"en":"Which lane?","es":"¿Qué carril?"},
		"options":[{"value":"north","label":{"en":"Northbound","es":"Hacia el norte"}},{"value":"south","label":{"en":"Southbound","es":"Hacia el sur"}}]},
		{"key":"depth","kind":"number","min":1,"max":40,"label":{"en":"About how deep?","es":"¿Qué profundidad, más o menos?"},"unit":{"en":"inches","es":"pulgadas"}}]`)
	if err := srv.app.Save(cat); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cat.Set("questions", before)
		_ = srv.app.Save(cat)
	}()
	p := newPage(t, 360)
	p.signIn("john@example.com", demo.Password)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), true)`)
	p.open("/report.html?category=pothole")
	p.waitText("#questions", "Which lane?")
	p.axe("report with questions")
	p.fill("#description", "A deep pothole by the bridge.")
	p.fill("#address", "River Road bridge")
	p.click("#send")
	p.waitFor(".error-summary")
	p.click("#answers-lane-1")
	p.fill("#answers-depth", "6")
	p.click("#send")
	p.waitFor("#done")
	p.click("#done a.button")
	p.waitText(".badge", "Received")
	id := eval[string](p, `new URLSearchParams(location.search).get("id")`)

	staff := newPage(t, 1280)
	staff.staffSignIn("works@pinecounty.example")
	staff.open("/staff/request.html?kind=complaint&id=" + id)
	staff.waitText("#answers [data-key=lane]", "Southbound")
	staff.waitText("#answers [data-key=depth]", "6 inches")
}

// TestALostConnectionLosesNothingAndFilesOnce: the report reaches the
// county but the answer is lost on the way back; the page says so, keeps
// what was typed (also across a reload) and offers to send again; sending
// again files nothing twice.
func TestALostConnectionLosesNothingAndFilesOnce(t *testing.T) {
	p := newPage(t, 360)
	p.signIn("john@example.com", demo.Password)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), localStorage.removeItem("th_report_draft"), true)`)
	p.open("/report.html?category=pothole")
	p.waitFor("#report")
	text := "A sinkhole opening on Mill Street near the bakery."
	p.fill("#description", text)
	p.fill("#address", "14 Mill Street, Pine Falls")

	// a reload keeps what was typed
	p.open("/report.html?category=pothole")
	p.waitText("#report", "We kept what you typed")
	if got := eval[string](p, `document.querySelector("#description").value`); got != text {
		t.Fatalf("after a reload the description is %q", got)
	}

	// the answer to the next report is lost on the way back
	p.intercept("*/api/collections/complaints/records", fetch.RequestStageResponse, func(ctx context.Context, tg *chromedp.Target, id fetch.RequestID) error {
		_, err := cdp.Call(ctx, tg, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonConnectionReset})
		return err
	})
	p.click("#send")
	p.waitText("#offline", "connection was lost")
	p.axe("report: connection lost")
	if got := eval[string](p, `document.querySelector("#description").value`); got != text {
		t.Errorf("after the lost answer the description is %q", got)
	}
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Disable, cdp.Empty{})
		return err
	}))
	p.click("#resend")
	p.waitFor("#done")
	n, err := srv.app.CountRecords("complaints", dbx.HashExp{"description": text})
	if err != nil || n != 1 {
		t.Errorf("%d reports filed (%v), want exactly 1", n, err)
	}
	if eval[bool](p, `!!localStorage.getItem("th_report_draft")`) {
		t.Error("the draft is still kept after the report was filed")
	}
}
