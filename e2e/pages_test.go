package e2e

import (
	"fmt"
	"github.com/townhall-portal/townhall/internal/demo"
	"testing"
)

// TestAxeCatchesViolations proves the accessibility check can fail: a page
// with an unlabelled field and an image without text must be reported.
func TestAxeCatchesViolations(t *testing.T) {
	p := newPage(t, 1280)
	p.open("/help.html")
	eval[bool](p, `(() => {
		const i = document.createElement("input"); document.querySelector("main").append(i);
		const img = document.createElement("img"); img.src = "/img/pdf.svg"; document.querySelector("main").append(img);
		return true })()`)
	found := map[string]bool{}
	for _, v := range p.axeViolations() {
		found[v.ID] = true
	}
	if !found["label"] || !found["image-alt"] {
		t.Fatalf("axe missed the broken field and image: %v", found)
	}
}

// residentPages are every page of the resident site, with what to wait for.
var residentPages = []struct {
	path, ready string
	signedIn    bool
}{
	{"/", "#permits .card", false},
	{"/service.html?permit=BLD", "#service h2", false},
	{"/service.html?category=pothole", "#service .button", false},
	{"/signin.html", "#signin", false},
	{"/signup.html", "#signup", false},
	{"/verify-email.html?token=expired", "#content .notice", false},
	{"/reset-password.html", "#content form", false},
	{"/reset-password.html?token=abc", "#content form", false},
	{"/confirm-email.html?token=abc", "#confirm-email", false},
	{"/confirm-email.html", "#content .notice", false},
	{"/verify.html?number=FNC-2026-00001", "#result .notice", false},
	{"/problems.html", "#list .card", false},
	{"/help.html", "#departments .card", false},
	{"/privacy.html", "#privacy-list dd", false},
	{"/status.html", "#status-now .notice, #status-now .notice-list", false},
	{"/stats.html", "#stats-reports table, #stats-reports p:not(.loading)", false},
	{"/rate.html?t=not-a-token&r=4", "#rate .notice", false},
	{"/rate.html?t=a-link-token", "#rate-form", false},
	{"/unsubscribe.html?t=not-a-token", "#unsubscribe .notice", false},
	{"/404.html", "main h1", false},
	{"/apply.html?type=BLD", "#application", true},
	{"/apply.html?id=demopermit00001", "#application", true},
	{"/report.html", "#report", true},
	{"/my.html", "#permits .card", true},
	{"/request.html?kind=permit&id=demopermit00003", "#history li", true},
	{"/request.html?kind=permit&id=demopermit00005", "#history li", true},
	{"/request.html?kind=complaint&id=democomplain003", "#rating-form", true},
	{"/profile.html", "#profile", true},
	{"/certificate.html?id=demopermit00003", ".certificate img", true},
	{"/verify-email.html", "#content .notice.ok", true}, // John is confirmed
}

// TestEveryPageAccessibleInBothLanguages opens every resident page in
// English and Spanish at 1280 px and 360 px: zero axe violations, a
// screenshot of each.
func TestEveryPageAccessibleInBothLanguages(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		for _, width := range []int64{1280, 360} {
			// each in its own browser context (its own storage): side by side
			t.Run(fmt.Sprintf("%s-%d", lang, width), func(t *testing.T) {
				t.Parallel()
				p := newPage(t, width)
				eval[bool](p, `(localStorage.setItem("th_lang", "`+lang+`"), true)`)
				signedIn := false
				for _, pg := range residentPages {
					if pg.signedIn && !signedIn {
						p.signIn("john@example.com", demo.Password)
						// signed in, the account's language wins: John's, for this pass, is lang
						eval[bool](p, `(() => { const a = JSON.parse(localStorage.getItem("th_auth")); a.record.language = "`+lang+`";
							localStorage.setItem("th_auth", JSON.stringify(a)); return true })()`)
						signedIn = true
					}
					p.open(pg.path)
					p.waitFor(pg.ready)
					if got := eval[string](p, "document.documentElement.lang"); got != lang {
						t.Errorf("%s: <html lang=%q>, want %q", pg.path, got, lang)
					}
					if width == 1280 {
						p.axe(lang + " " + pg.path)
					}
					name := pg.path
					if name == "/" {
						name = "home"
					}
					p.shot(lang + "_" + name)
				}
			})
		}
	}
}
