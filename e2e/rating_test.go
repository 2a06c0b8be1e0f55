package e2e

import (
	"regexp"
	"testing"

	"github.com/pocketbase/dbx"
)

var rateLinkPattern = regexp.MustCompile(`https?://[^\s]+/rate\.html\?t=[A-Za-z0-9_.-]+&r=`)

// rateLinkOf is the rating link (without its number) of a report's resolution email.
func rateLinkOf(t *testing.T, id string) string {
	t.Helper()
	m, err := srv.app.FindFirstRecordByFilter("outbox", "complaint = {:c} && kind = 'complaint.resolve'", dbx.Params{"c": id})
	if err != nil {
		t.Fatal(err)
	}
	link := rateLinkPattern.FindString(m.GetString("text"))
	if link == "" {
		t.Fatalf("no rating link in:\n%s", m.GetString("text"))
	}
	return link[len(regexp.MustCompile(`^https?://[^/]+`).FindString(link)):]
}

// TestRatingLinkJourney: a resident, not signed in, clicks "4 of 5" in the
// resolution email: the page records it, takes a comment, and passes axe in
// both languages; opening the link again says it was used.
func TestRatingLinkJourney(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			id := newResolvedReport(t, "john@example.com")
			link := rateLinkOf(t, id)
			p := newPage(t, 1280)
			eval[bool](p, `(localStorage.setItem("th_lang", "`+lang+`"), true)`)
			p.open(link + "4")
			p.waitFor("#rate-done")
			p.axe(lang + " /rate.html (rated)")
			p.fill("#rate-comment", "Quick and tidy work.")
			p.click("#rate-comment-form button[type=submit]")
			p.waitFor("#rate .notice.ok")
			p.shot(lang + "_rate_done")
			f, err := srv.app.FindFirstRecordByFilter("feedback", "complaint = {:c}", dbx.Params{"c": id})
			if err != nil || f.GetInt("rating") != 4 || f.GetString("comment") != "Quick and tidy work." {
				t.Fatalf("rating %v %v", err, f)
			}
			p.open(link + "2")
			p.waitFor("#rate .notice.error")
			p.axe(lang + " /rate.html (used)")
		})
	}
}

// TestPageHelpfulJourney: "Was this page helpful?" under a service page
// sends an anonymous answer and thanks the reader.
func TestPageHelpfulJourney(t *testing.T) {
	p := newPage(t, 1280)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), true)`)
	p.open("/service.html?permit=FNC")
	p.waitFor("#service h2")
	p.click("#helpful-no")
	p.fill("#helpful-comment", "Say how tall a fence may be.")
	p.click("#helpful-form button[type=submit]")
	p.waitFor("#helpful .notice.ok")
	p.axe("en /service.html (helpful sent)")
	n, err := srv.app.CountRecords("page_feedback", dbx.HashExp{"page": "/service.html?permit=FNC", "helpful": false})
	if err != nil || n != 1 {
		t.Errorf("%d answers stored, %v", n, err)
	}
}
