package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"github.com/townhall-portal/townhall/internal/demo"
)

// loseAnswers lets the page's requests to pattern reach the server and
// breaks the connection before their answer is back, until connected.
func (p *page) loseAnswers(pattern string) (connected func()) {
	p.t.Helper()
	p.intercept(pattern, fetch.RequestStageResponse, func(ctx context.Context, tg *chromedp.Target, id fetch.RequestID) error {
		_, err := cdp.Call(ctx, tg, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonConnectionReset})
		return err
	})
	return func() {
		p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, fetch.Disable, cdp.Empty{})
			return err
		}))
	}
}

// TestACommentAndARatingSurviveALostConnection: on a request's page the
// comment and the rating reach the county but their answers are lost on
// the way back; the page says so, keeps what was typed (also across a
// reload) and offers to send again; sending again adds nothing twice.
func TestACommentAndARatingSurviveALostConnection(t *testing.T) {
	id := newResolvedReport(t, "john@example.com")
	p := newPage(t, 360)
	p.signIn("john@example.com", demo.Password)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), true)`)
	page := "/request.html?kind=complaint&id=" + id
	p.open(page)
	p.waitFor("#comment-form")
	comment := "Thank you, but the patch is already cracking at the edge."
	p.fill("#comment", comment)

	// a reload keeps what was typed
	p.open(page)
	p.waitText("#comment-form", "We kept what you typed")
	if got := eval[string](p, `document.querySelector("#comment").value`); got != comment {
		t.Fatalf("after a reload the comment is %q", got)
	}

	connected := p.loseAnswers("*/api/townhall/complaints/*/comment")
	p.click("#comment-send")
	p.waitText("#comment-offline", "connection was lost")
	p.axe("request: comment, connection lost")
	if got := eval[string](p, `document.querySelector("#comment").value`); got != comment {
		t.Errorf("after the lost answer the comment is %q", got)
	}
	connected()
	p.click("#comment-resend")
	p.waitFor("#comment-status .notice.ok")
	if n, err := srv.app.CountRecords("events", dbx.HashExp{"complaint": id, "action": "comment", "comment": comment}); err != nil || n != 1 {
		t.Errorf("%d comments added (%v), want exactly 1", n, err)
	}
	if eval[bool](p, `Object.keys(localStorage).some((k) => k.startsWith("th_comment:"))`) {
		t.Error("the comment is still kept after the county has it")
	}

	// the rating
	p.click("#rating-4")
	note := "Quick work, though it needs a second look."
	p.fill("#rating-comment", note)
	p.open(page)
	p.waitText("#rating-form", "We kept what you typed")
	if got := eval[string](p, `(document.querySelector("#rating-4").checked ? "4 " : "") + document.querySelector("#rating-comment").value`); got != "4 "+note {
		t.Fatalf("after a reload the rating is %q", got)
	}
	connected = p.loseAnswers("*/api/collections/feedback/records")
	p.click("#rate-send")
	p.waitText("#rating-offline", "connection was lost")
	p.axe("request: rating, connection lost")
	connected()
	p.click("#rating-resend")
	p.waitFor("#rated")
	if n, err := srv.app.CountRecords("feedback", dbx.HashExp{"complaint": id}); err != nil || n != 1 {
		t.Errorf("%d ratings recorded (%v), want exactly 1", n, err)
	}
	f, err := srv.app.FindFirstRecordByFilter("feedback", "complaint = {:c}", dbx.Params{"c": id})
	if err != nil || f.GetInt("rating") != 4 || f.GetString("comment") != note {
		t.Errorf("rating %v %v", err, f)
	}
}

// TestARatingLinkSurvivesALostConnection: the one-click rating of an email
// reaches the county but its answer is lost; "Send again" records it once.
func TestARatingLinkSurvivesALostConnection(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			id := newResolvedReport(t, "john@example.com")
			link := rateLinkOf(t, id)
			p := newPage(t, 360)
			eval[bool](p, `(localStorage.setItem("th_lang", "`+lang+`"), true)`)
			connected := p.loseAnswers("*/api/townhall/public/rate")
			p.open(link + "5")
			p.waitFor("#rate-offline")
			p.axe(lang + " /rate.html (connection lost)")
			connected()
			p.click("#rate-resend")
			p.waitFor("#rate-done")
			if n, err := srv.app.CountRecords("feedback", dbx.HashExp{"complaint": id, "rating": 5}); err != nil || n != 1 {
				t.Errorf("%d ratings recorded (%v), want exactly 1", n, err)
			}
		})
	}
}

// TestAnApplicationSurvivesALostConnection: saving a new application
// reaches the county but the answer is lost; the page says so and keeps
// the answers on the device (also across a reload); saving again makes no
// second application.
func TestAnApplicationSurvivesALostConnection(t *testing.T) {
	p := newPage(t, 360)
	p.signIn("john@example.com", demo.Password)
	eval[bool](p, `(localStorage.setItem("th_lang", "en"), true)`)
	p.open("/apply.html?type=FNC")
	p.waitFor("#application")
	address := "27 Lantern Row, Pine Falls"
	p.fill("#site_address", address)
	p.fill("#f-height_feet", "5")
	connected := p.loseAnswers("*/api/collections/permits/records")
	p.click("#save")
	p.waitText("#apply-offline", "connection was lost")
	p.axe("apply: connection lost")

	p.open("/apply.html?type=FNC")
	p.waitText("#application", "We kept what you typed")
	if got := eval[string](p, `document.querySelector("#site_address").value + "|" + document.querySelector("#f-height_feet").value`); got != address+"|5" {
		t.Fatalf("after a reload the form holds %q", got)
	}
	connected()
	p.click("#save")
	p.waitFor("#form-status .notice.ok")
	if n, err := srv.app.CountRecords("permits", dbx.HashExp{"site_address": address}); err != nil || n != 1 {
		t.Errorf("%d applications (%v), want exactly 1", n, err)
	}
	if eval[bool](p, `Object.keys(localStorage).some((k) => k.startsWith("th_apply:"))`) {
		t.Error("the answers are still kept after the county saved them")
	}
}
