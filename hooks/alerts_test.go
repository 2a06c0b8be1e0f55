package hooks

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// Fixed ids of the alert fixtures of the access matrix.
const (
	topicWater    = "topicwater00001"
	topicRoads    = "topicroads00001"
	topicOff      = "topicoff0000001"
	subscriptionA = "subscriptiona01"
)

// addAlertFixtures replaces the migration's starting topics with the
// matrix's own: two active topics, a switched-off one, and resident A's
// subscription to water.
func addAlertFixtures(app core.App) error {
	if _, err := app.DB().NewQuery("DELETE FROM alert_topics").Execute(); err != nil {
		return err
	}
	topics, err := app.FindCollectionByNameOrId("alert_topics")
	if err != nil {
		return err
	}
	for _, t := range []struct {
		id, code string
		active   bool
	}{{topicWater, "water", true}, {topicRoads, "roads", true}, {topicOff, "retired", false}} {
		r := core.NewRecord(topics)
		r.Id = t.id
		r.Load(map[string]any{"code": t.code, "name_en": t.code, "active": t.active})
		if err := app.Save(r); err != nil {
			return err
		}
	}
	subs, err := app.FindCollectionByNameOrId("alert_subscriptions")
	if err != nil {
		return err
	}
	s := core.NewRecord(subs)
	s.Id = subscriptionA
	s.Load(map[string]any{"user": resA, "topic": topicWater})
	return app.Save(s)
}

// topicID is the id of one of the migration's starting topics.
func topicID(t *testing.T, e *testEnv, code string) string {
	t.Helper()
	r, err := e.app.FindFirstRecordByData("alert_topics", "code", code)
	if err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// subscribe subscribes role's resident to a topic through the records API.
func subscribe(t *testing.T, e *testEnv, role, user, topic string) response {
	t.Helper()
	return e.do(t, http.MethodPost, "/api/collections/alert_subscriptions/records", map[string]any{"user": user, "topic": topic}, role)
}

// announce publishes a notice as the director.
func announce(t *testing.T, e *testEnv, body map[string]any) string {
	t.Helper()
	res := e.do(t, http.MethodPost, "/api/collections/announcements/records", body, roleDirector)
	if res.Status != 200 {
		t.Fatalf("announcement: %d %s", res.Status, res.Body)
	}
	var r struct {
		ID string `json:"id"`
	}
	res.JSON(t, &r)
	return r.ID
}

// alertEnv is an environment with the public address on HTTPS, residents A
// (English) and B (Spanish) subscribed to water, and A also to roads.
func alertEnv(t *testing.T) (e *testEnv, water, roads string) {
	t.Helper()
	e = newEnv(t)
	e.app.Settings().Meta.AppURL = "https://permits.county.test"
	water, roads = topicID(t, e, "water"), topicID(t, e, "road-closures")
	for _, s := range []struct{ role, user, topic string }{{roleResA, resA, water}, {roleResB, resB, water}, {roleResA, resA, roads}} {
		if res := subscribe(t, e, s.role, s.user, s.topic); res.Status != 200 {
			t.Fatalf("subscribing: %d %s", res.Status, res.Body)
		}
	}
	return e, water, roads
}

// TestSubscribingToAlerts: a confirmed resident subscribes to an active
// topic once; an unconfirmed account, a switched-off topic, someone else's
// account and a second subscription to the same topic are refused.
func TestSubscribingToAlerts(t *testing.T) {
	e, water, _ := alertEnv(t)
	events := topicID(t, e, "events")
	off := e.record(t, "alert_topics", events)
	off.Set("active", false)
	if err := e.app.Save(off); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, role, user, topic string
		want                    int
	}{
		{"twice the same topic", roleResA, resA, water, 400},
		{"an unconfirmed account", roleResU, resU, water, 400},
		{"a switched-off topic", roleResA, resA, events, 400},
		{"someone else's account", roleResA, resB, topicID(t, e, "trash"), 400},
		{"a staff member", roleClerkX, resA, topicID(t, e, "trash"), 400},
	} {
		if res := subscribe(t, e, c.role, c.user, c.topic); res.Status != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, res.Status, res.Body, c.want)
		}
	}
	if n := e.count(t, "alert_subscriptions", "", nil); n != 3 {
		t.Errorf("%d subscriptions, want 3", n)
	}
}

// TestAnAnnouncementReachesEachSubscriberOnce: a notice about water and
// roads in force is one email to each subscriber (A, subscribed to both,
// gets one), in their language, with the one-click unsubscribe headers and
// a link to the confirmation page; running the job again, editing the
// notice or sending the outbox again adds none. A notice that starts later
// goes out when it starts; a staff-only notice never goes to residents.
func TestAnAnnouncementReachesEachSubscriberOnce(t *testing.T) {
	e, water, roads := alertEnv(t)
	now := e.portal.now().UTC()
	stamp := func(t time.Time) string { return t.Format("2006-01-02 15:04:05.000Z") }
	id := announce(t, e, map[string]any{"title_en": "Boil water on Oak Street", "title_es": "Hierva el agua en Oak Street",
		"body_en": "Boil tap water before drinking.", "body_es": "Hierva el agua del grifo antes de beberla.",
		"severity": "warning", "starts_at": stamp(now.Add(-time.Hour)), "shows_on": "site", "topics": []string{water, roads}})
	later := announce(t, e, map[string]any{"title_en": "Road works next week", "severity": "info",
		"starts_at": stamp(now.Add(24 * time.Hour)), "shows_on": "both", "topics": []string{roads}})
	announce(t, e, map[string]any{"title_en": "Staff only", "severity": "info",
		"starts_at": stamp(now.Add(-time.Hour)), "shows_on": "staff", "topics": []string{water}})
	announce(t, e, map[string]any{"title_en": "No topics", "severity": "info", "starts_at": stamp(now.Add(-time.Hour)), "shows_on": "site"})

	if n, err := e.portal.QueueAlerts(); err != nil || n != 2 {
		t.Fatalf("queued %d (%v), want 2", n, err)
	}
	if n, err := e.portal.QueueAlerts(); err != nil || n != 0 {
		t.Fatalf("queued %d again (%v), want 0", n, err)
	}
	notice := e.record(t, "announcements", id)
	notice.Set("title_en", "Boil water on Oak Street and Elm Street")
	if err := e.app.Save(notice); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.portal.QueueAlerts(); n != 0 {
		t.Fatalf("an edit queued %d more", n)
	}
	if sent, _, err := e.portal.SendOutbox(); err != nil || sent != 2 {
		t.Fatalf("sent %d (%v), want 2", sent, err)
	}
	if sent, _, _ := e.portal.SendOutbox(); sent != 0 {
		t.Fatalf("sent %d more", sent)
	}
	msgs := e.app.TestMailer.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d emails, want 2", len(msgs))
	}
	byTo := map[string]int{}
	for _, m := range msgs {
		to := m.To[0].Address
		byTo[to]++
		unsub := m.Headers["List-Unsubscribe"]
		if !regexp.MustCompile(`^<https://permits\.county\.test/api/townhall/public/alerts/unsubscribe\?t=[A-Za-z0-9_.%-]+>$`).MatchString(unsub) {
			t.Errorf("%s: List-Unsubscribe %q", to, unsub)
		}
		if m.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" || m.Headers["Message-ID"] == "" {
			t.Errorf("%s: headers %v", to, m.Headers)
		}
		if !strings.Contains(m.Text, "https://permits.county.test/unsubscribe.html?t=") {
			t.Errorf("%s: no unsubscribe link in\n%s", to, m.Text)
		}
		switch to {
		case "a@resident.test":
			if !strings.Contains(m.Subject, "Boil water on Oak Street") || !strings.Contains(m.Text, "Road closures, Water service") &&
				!strings.Contains(m.Text, "Water service, Road closures") {
				t.Errorf("English email: %s\n%s", m.Subject, m.Text)
			}
		case "b@resident.test":
			if !strings.Contains(m.Subject, "Hierva el agua") || !strings.Contains(m.Text, "Servicio de agua") || !strings.Contains(m.Text, "darse de baja") &&
				!strings.Contains(m.Text, "dejar de recibirlos") {
				t.Errorf("Spanish email: %s\n%s", m.Subject, m.Text)
			}
		}
	}
	if byTo["a@resident.test"] != 1 || byTo["b@resident.test"] != 1 {
		t.Errorf("emails per resident %v, want one each", byTo)
	}

	// the notice about roads starts tomorrow: A (the roads subscriber) hears of it then
	e.clock.Advance(25 * time.Hour)
	if n, _ := e.portal.QueueAlerts(); n != 1 {
		t.Fatalf("at its start %d queued, want 1", n)
	}
	if n := e.count(t, "outbox", "kind = 'alert' && dedupe_key = {:k}", map[string]any{"k": "alert:" + later + ":" + resA}); n != 1 {
		t.Errorf("%d alerts of the later notice to A", n)
	}
}

// unsubscribeToken is the token of the newest alert email to address.
func unsubscribeToken(t *testing.T, e *testEnv, address string) string {
	t.Helper()
	m, err := e.app.FindFirstRecordByFilter("outbox", "kind = 'alert' && to = {:to}", dbx.Params{"to": address})
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]string
	if err := m.UnmarshalJSONField("headers", &h); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(strings.Trim(h["List-Unsubscribe"], "<>"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("t")
}

// TestUnsubscribeLink: the link's GET (a link scanner, or the page) only
// says what it would stop; the mail client's one-click POST and the page's
// POST stop it, and again answers the same; a bad or tampered token is a
// plain 400, an expired one 410.
func TestUnsubscribeLink(t *testing.T) {
	e, water, roads := alertEnv(t)
	announce(t, e, map[string]any{"title_en": "Water off", "severity": "outage",
		"starts_at": e.portal.now().UTC().Add(-time.Minute).Format("2006-01-02 15:04:05.000Z"), "shows_on": "both", "topics": []string{water}})
	if n, err := e.portal.QueueAlerts(); err != nil || n != 2 {
		t.Fatalf("queued %d (%v)", n, err)
	}
	tokA, tokB := unsubscribeToken(t, e, "a@resident.test"), unsubscribeToken(t, e, "b@resident.test")
	subscribed := func(user, topic string) bool {
		return e.count(t, "alert_subscriptions", "user = {:u} && topic = {:t}", map[string]any{"u": user, "t": topic}) == 1
	}
	api := "/api/townhall/public/alerts/unsubscribe?t="

	res := e.do(t, http.MethodGet, api+url.QueryEscape(tokA), nil, "")
	if res.Status != 200 || !strings.Contains(res.Body, `"subscribed":true`) || !strings.Contains(res.Body, "Water service") {
		t.Fatalf("GET: %d %s", res.Status, res.Body)
	}
	if !subscribed(resA, water) {
		t.Fatal("a GET unsubscribed")
	}
	if page := e.do(t, http.MethodGet, "/unsubscribe.html?t="+url.QueryEscape(tokA), nil, ""); page.Status != 200 || !strings.Contains(page.Body, "unsubscribe.js") {
		t.Fatalf("the page: %d", page.Status)
	}

	// the one-click POST of a mail client (RFC 8058): form-encoded, no sign-in
	oneClick := func(tok string) response {
		req := httptest.NewRequest(http.MethodPost, api+url.QueryEscape(tok), strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return e.send(req, "")
	}
	for i := 0; i < 2; i++ {
		if res := oneClick(tokA); res.Status != 200 || !strings.Contains(res.Body, "no more emails about Water service") {
			t.Fatalf("one-click POST %d: %d %s", i, res.Status, res.Body)
		}
	}
	if subscribed(resA, water) || !subscribed(resA, roads) || !subscribed(resB, water) {
		t.Fatal("the one-click POST stopped the wrong alerts")
	}

	// the page's button: JSON with the token, in Spanish
	req := httptest.NewRequest(http.MethodPost, "/api/townhall/public/alerts/unsubscribe", strings.NewReader(`{"token":"`+tokB+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "es")
	if res := e.send(req, ""); res.Status != 200 || !strings.Contains(res.Body, "ya no recibirá correos sobre Servicio de agua") {
		t.Fatalf("the page's POST: %d %s", res.Status, res.Body)
	}
	if subscribed(resB, water) {
		t.Fatal("B is still subscribed")
	}

	tampered := []byte(tokA)
	tampered[3] ^= 1
	for name, tok := range map[string]string{"none": "", "garbage": "not-a-token", "tampered": string(tampered)} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			res := e.do(t, method, api+url.QueryEscape(tok), nil, "")
			if res.Status != 400 || !strings.Contains(res.Body, "not valid") {
				t.Errorf("%s token, %s: %d %s", name, method, res.Status, res.Body)
			}
		}
	}
	e.clock.Advance(366 * 24 * time.Hour)
	if res := oneClick(tokA); res.Status != 410 || !strings.Contains(res.Body, "expired") {
		t.Errorf("expired: %d %s", res.Status, res.Body)
	}
}

// TestAlertRateIsRespected: with a rate of 10 a minute, 25 queued alerts
// leave 10, 10 and 5 on three ticks a minute apart (none in between), while
// a password reset queued behind them leaves on the first tick.
func TestAlertRateIsRespected(t *testing.T) {
	e := newEnv(t)
	s := e.record(t, "town_settings", settingsID)
	s.Set("alert_rate_per_minute", 10)
	if err := e.app.Save(s); err != nil {
		t.Fatal(err)
	}
	err := e.app.RunInTransaction(func(tx core.App) error {
		for i := range 25 {
			if err := e.portal.queueMail(tx, outMail{To: "r" + string(rune('a'+i)) + "@resident.test", Subject: "Water off", Text: "…",
				Kind: alertKind, DedupeKey: "alert:test:" + string(rune('a'+i))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	if err := e.portal.queueMail(e.app, outMail{To: "a@resident.test", Subject: "Reset your password", Text: "…", Kind: "account.reset"}); err != nil {
		t.Fatal(err)
	}
	sentTo := func() (alerts, other int) {
		for _, m := range e.app.TestMailer.Messages() {
			if m.Subject == "Water off" {
				alerts++
			} else {
				other++
			}
		}
		return
	}
	for i, want := range []struct {
		advance       time.Duration
		alerts, other int
	}{{0, 10, 1}, {30 * time.Second, 10, 1}, {31 * time.Second, 20, 1}, {0, 20, 1}, {time.Minute, 25, 1}, {time.Minute, 25, 1}} {
		e.clock.Advance(want.advance)
		if _, _, err := e.portal.SendOutbox(); err != nil {
			t.Fatal(err)
		}
		if a, o := sentTo(); a != want.alerts || o != want.other {
			t.Fatalf("tick %d: %d alerts and %d other emails sent, want %d and %d", i, a, o, want.alerts, want.other)
		}
	}
}

// TestAlertsAreThePersonsData: a resident's export names the topics they
// follow; deleting the account ends the subscriptions.
func TestAlertsAreThePersonsData(t *testing.T) {
	e, _, _ := alertEnv(t)
	res := e.do(t, http.MethodGet, "/api/townhall/account/export", nil, roleResA)
	z, err := zip.NewReader(bytes.NewReader([]byte(res.Body)), int64(len(res.Body)))
	if err != nil {
		t.Fatalf("export: %d %v", res.Status, err)
	}
	var data struct {
		Alerts []string `json:"alert_topics"`
	}
	for _, f := range z.File {
		if f.Name == "my-data.json" {
			r, _ := f.Open()
			raw, _ := io.ReadAll(r)
			r.Close()
			if err := json.Unmarshal(raw, &data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if strings.Join(data.Alerts, ",") != "road-closures,water" {
		t.Errorf("the export names the topics %v", data.Alerts)
	}
	if res := e.do(t, http.MethodDelete, "/api/collections/users/records/"+resA, nil, roleSuperuser); res.Status != 204 {
		t.Fatalf("deleting: %d %s", res.Status, res.Body)
	}
	if n := e.count(t, "alert_subscriptions", "", nil); n != 1 {
		t.Errorf("%d subscriptions left, want B's only", n)
	}
}

// BenchmarkQueueAlerts queues one notice's emails to 2,000 subscribers
// (each run a fresh notice), and measures how long one batch transaction
// holds the database.
func BenchmarkQueueAlerts(b *testing.B) {
	e := newEnv(b)
	water := ""
	if r, err := e.app.FindFirstRecordByData("alert_topics", "code", "water"); err == nil {
		water = r.Id
	}
	const n = 2000
	err := e.app.RunInTransaction(func(tx core.App) error {
		for i := range n {
			id := fmt.Sprintf("benchuser%06d", i)
			if _, err := tx.DB().NewQuery(`INSERT INTO users (id, email, verified, tokenKey, password, language, created, updated)
				VALUES ({:id}, {:email}, 1, {:id}, 'x', 'en', '2026-11-01 00:00:00.000Z', '2026-11-01 00:00:00.000Z')`).
				Bind(dbx.Params{"id": id, "email": id + "@resident.test"}).Execute(); err != nil {
				return err
			}
			if _, err := tx.DB().NewQuery(`INSERT INTO alert_subscriptions (id, user, topic, created, updated)
				VALUES ({:sid}, {:id}, {:t}, '2026-11-01 00:00:00.000Z', '2026-11-01 00:00:00.000Z')`).
				Bind(dbx.Params{"sid": fmt.Sprintf("benchsubs%06d", i), "id": id, "t": water}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	col, _ := e.app.FindCollectionByNameOrId("announcements")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a := core.NewRecord(col)
		a.Load(map[string]any{"title_en": fmt.Sprintf("Water off %d", i), "severity": "outage", "shows_on": "site",
			"starts_at": e.portal.now().UTC().Add(-time.Minute), "topics": []string{water}})
		if err := e.app.Save(a); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if got, err := e.portal.QueueAlerts(); err != nil || got != n {
			b.Fatalf("queued %d (%v)", got, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64((n+alertBatch-1)/alertBatch), "ms/batch")
}

// TestUnsubscribeHeadersReachTheWire: over SMTP the message carries the
// one-click headers as they were queued, unencoded and on one line each.
func TestUnsubscribeHeadersReachTheWire(t *testing.T) {
	link := "<https://permits.county.test/api/townhall/public/alerts/unsubscribe?t=" + strings.Repeat("A", 160) + ".sig>"
	raw, err := mimeMessage(&mailer.Message{From: mail.Address{Address: "county@county.test"}, To: []mail.Address{{Address: "a@resident.test"}},
		Subject: "Water off", Text: "…", HTML: "<p>…</p>",
		Headers: map[string]string{"List-Unsubscribe": link, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\r\nList-Unsubscribe: " + link + "\r\n", "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the message lacks %q:\n%s", want, raw)
		}
	}
}
