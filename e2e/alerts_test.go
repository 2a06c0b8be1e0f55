package e2e

import (
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/demo"
)

var unsubscribePage = regexp.MustCompile(`https?://[^\s]+/unsubscribe\.html\?t=[A-Za-z0-9_.%-]+`)

// TestEmailAlertsJourney: a resident picks alert topics on the profile; a
// notice about one of them reaches them by email; the email's link opens a
// page that stops the alerts only when its button is pressed. axe passes on
// the profile and the unsubscribe page in both languages.
func TestEmailAlertsJourney(t *testing.T) {
	p := newPage(t, 1280)
	p.signIn("maria@example.com", demo.Password) // Spanish
	p.open("/profile.html#alerts")
	p.waitFor("#alerts-form")
	p.axe("es /profile.html (alerts)")
	p.click("#alert-water")
	p.click("#alert-road-closures")
	p.click("#alerts-form button[type=submit]")
	p.waitFor("#alerts-status .notice.ok")
	maria, err := srv.app.FindAuthRecordByEmail("users", "maria@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := srv.app.CountRecords("alert_subscriptions", dbx.HashExp{"user": maria.Id}); n != 2 {
		t.Fatalf("%d subscriptions, want 2", n)
	}

	col, _ := srv.app.FindCollectionByNameOrId("announcements")
	water, err := srv.app.FindFirstRecordByData("alert_topics", "code", "water")
	if err != nil {
		t.Fatal(err)
	}
	a := core.NewRecord(col)
	a.Load(map[string]any{"title_en": "Water off on Mill Street", "title_es": "Sin agua en Mill Street", "severity": "outage",
		"starts_at": time.Now().UTC().Add(-time.Minute), "ends_at": time.Now().UTC().Add(time.Hour), "shows_on": "site", "topics": []string{water.Id}})
	if err := srv.app.Save(a); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.app.Delete(a) })
	if _, err := srv.portal.QueueAlerts(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.portal.SendOutbox(); err != nil {
		t.Fatal(err)
	}
	link := unsubscribePage.FindString(lastMailTo(t, "maria@example.com"))
	if link == "" {
		t.Fatal("no unsubscribe link in the alert email")
	}
	u, _ := url.Parse(link)
	for _, lang := range []string{"en", "es"} {
		q := newPage(t, 360)
		eval[bool](q, `(localStorage.setItem("th_lang", "`+lang+`"), true)`)
		q.open(u.RequestURI())
		q.waitFor("#unsubscribe-button")
		q.axe(lang + " /unsubscribe.html")
	}
	if n, _ := srv.app.CountRecords("alert_subscriptions", dbx.HashExp{"user": maria.Id, "topic": water.Id}); n != 1 {
		t.Fatal("opening the link unsubscribed by itself")
	}
	p.open(u.RequestURI())
	p.click("#unsubscribe-button")
	p.waitText("#unsubscribed", "Servicio de agua")
	p.axe("es /unsubscribe.html (done)")
	if n, _ := srv.app.CountRecords("alert_subscriptions", dbx.HashExp{"user": maria.Id}); n != 1 {
		t.Errorf("%d subscriptions after unsubscribing from water, want 1 (road closures)", n)
	}
}
