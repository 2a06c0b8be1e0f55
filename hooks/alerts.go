package hooks

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/townhall-portal/townhall/internal/alertlink"
	"github.com/townhall-portal/townhall/internal/i18n"
)

// Opt-in topic alerts: residents subscribe to topics on their profile
// (alert_subscriptions, records API); an announcement of the resident site
// that carries topics is emailed, once it is in force, to every confirmed
// subscriber of those topics — one email per announcement and resident
// (the outbox's dedupe key), in the resident's language, with a one-click
// unsubscribe (RFC 8058):
//
//	GET  /api/townhall/public/alerts/unsubscribe?t=…  what the link would stop (changes nothing: link scanners GET)
//	POST /api/townhall/public/alerts/unsubscribe?t=…  stops it (mail clients' one-click POST, and the page's button)
//
// The outbox hands alert emails to the mail server at most
// town_settings.alert_rate_per_minute a minute; other mail goes first and
// is not held up by a large alert.

// alertKind is the outbox kind of a topic alert.
const alertKind = "alert"

// defaultAlertRate is the alert emails a minute when the town sets none.
const defaultAlertRate = 60

// registerAlerts adds the unsubscribe routes and the job that queues alerts.
func (p *Portal) registerAlerts() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallAlerts",
		Func: func(se *core.ServeEvent) error {
			se.Router.GET("/api/townhall/public/alerts/unsubscribe", p.handleUnsubscribeInfo)
			se.Router.POST("/api/townhall/public/alerts/unsubscribe", p.handleUnsubscribe)
			return se.Next()
		},
	})
	p.app.Cron().MustAdd("townhall_alerts", "* * * * *", func() {
		p.runJob("alerts", func() error { _, err := p.QueueAlerts(); return err })
	})
}

// alertSecret is the installation's key for unsubscribe links.
func alertSecret(app core.App) ([]byte, error) {
	var v string
	err := app.DB().NewQuery("SELECT value FROM townhall_keys WHERE name = 'alert_unsubscribe'").Row(&v)
	if err != nil || len(v) < 32 {
		return nil, errors.New("alert unsubscribe secret missing")
	}
	return []byte(v), nil
}

// alertRate is how many alert emails the outbox sends a minute.
func alertRate(app core.App) int {
	var n int
	if err := app.DB().NewQuery("SELECT COALESCE(alert_rate_per_minute, 0) FROM town_settings LIMIT 1").Row(&n); err != nil || n < 1 {
		return defaultAlertRate
	}
	return n
}

// alertAnnouncement is an announcement in force with topics.
type alertAnnouncement struct {
	notice
	Topics string `db:"topics"`
}

// QueueAlerts queues the emails of every resident-site announcement in
// force that carries topics and whose alerts are not queued yet (or whose
// topics changed since): one email to each confirmed subscriber of any of
// its topics. It returns how many emails it queued. Safe to run again: the
// dedupe key keeps a second email for the same announcement out.
func (p *Portal) QueueAlerts() (int, error) {
	now := p.now().UTC()
	at := now.Format("2006-01-02 15:04:05.000Z")
	var list []alertAnnouncement
	err := p.app.DB().NewQuery(`SELECT a.id, a.severity, a.title_en, a.title_es, a.body_en, a.body_es, a.starts_at, a.ends_at, a.updated, a.topics
		FROM announcements a LEFT JOIN townhall_alerts_queued q ON q.announcement = a.id
		WHERE a.starts_at <= {:now} AND (a.ends_at = '' OR a.ends_at > {:now}) AND a.shows_on IN ('site', 'both')
			AND a.topics NOT IN ('', '[]') AND (q.announcement IS NULL OR q.topics != a.topics)`).
		Bind(dbx.Params{"now": at}).All(&list)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, a := range list {
		n, err := p.queueAlert(a, now)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// alertBatch is how many subscribers' emails one transaction queues, so
// that a large alert never holds the database for long (residents' own
// writes wait for it).
const alertBatch = 50

// alertSubscriber is one confirmed subscriber of an announcement's topics.
type alertSubscriber struct {
	User     string `db:"user"`
	Email    string `db:"email"`
	Language string `db:"language"`
	Topics   string `db:"topics"`
}

// queueAlert queues one announcement's emails, alertBatch subscribers a
// transaction, then notes the announcement as done. Cut short (a crash),
// the next run queues the rest: the dedupe key skips those already queued.
func (p *Portal) queueAlert(a alertAnnouncement, now time.Time) (int, error) {
	var topics []string
	if err := json.Unmarshal([]byte(a.Topics), &topics); err != nil || len(topics) == 0 {
		return 0, nil // not a list of topics: nothing to send
	}
	secret, err := alertSecret(p.app)
	if err != nil {
		return 0, err
	}
	// each confirmed subscriber once, with the topics of theirs this announcement is about
	var subs []alertSubscriber
	err = p.app.DB().Select("s.user", "u.email", "u.language", "group_concat(s.topic) AS topics").
		From("alert_subscriptions s").
		InnerJoin("users u", dbx.NewExp("u.id = s.user")).
		InnerJoin("alert_topics t", dbx.NewExp("t.id = s.topic")).
		Where(dbx.In("s.topic", anySlice(topics)...)).
		AndWhere(dbx.HashExp{"u.verified": true, "t.active": true}).
		GroupBy("s.user", "u.email", "u.language").OrderBy("s.user").All(&subs)
	if err != nil {
		return 0, err
	}
	names := topicNames(p.app, topics)
	queued := 0
	for start := 0; start < len(subs); start += alertBatch {
		batch := subs[start:min(start+alertBatch, len(subs))]
		err := p.app.RunInTransaction(func(tx core.App) error {
			for _, s := range batch {
				mine := strings.Split(s.Topics, ",")
				slices.Sort(mine)
				m := p.alertMail(tx, a, s.User, s.Email, i18n.Parse(s.Language), mine, names, secret, now)
				before, err := tx.CountRecords("outbox", dbx.HashExp{"dedupe_key": m.DedupeKey})
				if err != nil {
					return err
				}
				if before > 0 {
					continue
				}
				if err := p.queueMail(tx, m); err != nil {
					return err
				}
				queued++
			}
			return nil
		})
		if err != nil {
			return queued, err
		}
	}
	_, err = p.app.DB().NewQuery(`INSERT INTO townhall_alerts_queued (announcement, topics, queued, at) VALUES ({:a}, {:t}, {:n}, {:at})
		ON CONFLICT (announcement) DO UPDATE SET topics = excluded.topics, queued = queued + excluded.queued, at = excluded.at`).
		Bind(dbx.Params{"a": a.ID, "t": a.Topics, "n": queued, "at": now.Unix()}).Execute()
	return queued, err
}

// anySlice turns ids into dbx.In's arguments.
func anySlice(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// topicNames are the names of topics by id, in both languages.
func topicNames(tx core.App, ids []string) map[string][2]string {
	out := map[string][2]string{}
	records, err := tx.FindRecordsByIds("alert_topics", ids)
	if err != nil {
		return out
	}
	for _, r := range records {
		es := r.GetString("name_es")
		if es == "" {
			es = r.GetString("name_en")
		}
		out[r.Id] = [2]string{r.GetString("name_en"), es}
	}
	return out
}

// alertMail is the alert email of announcement a to one subscriber.
func (p *Portal) alertMail(tx core.App, a alertAnnouncement, user, email string, lang i18n.Lang, mine []string,
	names map[string][2]string, secret []byte, now time.Time) outMail {
	tok := alertlink.Sign(secret, alertlink.Claims{User: user, Topics: mine, Expires: now.Add(alertlink.Valid)})
	oneClick := p.siteURL(tx, "/api/townhall/public/alerts/unsubscribe?t="+url.QueryEscape(tok))
	page := p.siteURL(tx, "/unsubscribe.html?t="+url.QueryEscape(tok))
	var topicList []string
	for _, id := range mine {
		n := names[id]
		if lang == i18n.ES {
			topicList = append(topicList, n[1])
		} else {
			topicList = append(topicList, n[0])
		}
	}
	title, text := a.TitleEN, a.BodyEN
	if lang == i18n.ES && a.TitleES != "" {
		title, text = a.TitleES, a.BodyES
	}
	loc := p.townLocation(tx)
	when := map[string]string{"from": localTime(a.StartsAt, loc), "until": localTime(a.EndsAt, loc)}
	period := lang.Fill("mail.alert.when", when)
	if a.EndsAt != "" {
		period = lang.Fill("mail.alert.when_until", when)
	}
	vars := map[string]string{
		"title": title, "text": strings.TrimSpace(text + "\n\n" + period),
		"status": p.siteURL(tx, "/status.html#notice-"+a.ID), "topics": strings.Join(topicList, ", "),
		"unsubscribe": page, "profile": p.siteURL(tx, "/profile.html#alerts"),
	}
	subject, body := p.compose(tx, lang, "mail.alert", vars)
	return outMail{To: email, Subject: subject, Text: body, Kind: alertKind, DedupeKey: "alert:" + a.ID + ":" + user,
		Headers: map[string]string{
			// RFC 2369 and RFC 8058: one click in the mail client stops these emails
			"List-Unsubscribe":      "<" + oneClick + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}}
}

// localTime writes a stored date in the town's zone ("" stays "").
func localTime(s string, loc *time.Location) string {
	t, err := time.Parse("2006-01-02 15:04:05.000Z", s)
	if err != nil {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// unsubscribeClaims reads the token of an unsubscribe request (query t=, or
// the page's JSON body {"token"}): 400 when it is not valid, 410 when expired.
func (p *Portal) unsubscribeClaims(e *core.RequestEvent) (alertlink.Claims, i18n.Lang, error) {
	lang := requestLang(e)
	tok := e.Request.URL.Query().Get("t")
	if tok == "" && strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		var in struct {
			Token string `json:"token"`
		}
		if err := e.BindBody(&in); err == nil {
			tok = in.Token
		}
	}
	secret, err := alertSecret(p.app)
	if err != nil {
		return alertlink.Claims{}, lang, e.InternalServerError("", err)
	}
	c, err := alertlink.Check(secret, strings.TrimSpace(tok), p.now())
	switch {
	case errors.Is(err, alertlink.ErrExpired):
		return c, lang, apiError(http.StatusGone, lang.T("alerts.unsubscribe_expired"))
	case err != nil:
		return c, lang, refusal(lang.T("alerts.unsubscribe_invalid"))
	}
	return c, lang, nil
}

// unsubscribeTopic is one topic an unsubscribe link names.
type unsubscribeTopic struct {
	ID         string `json:"id"`
	NameEN     string `json:"name_en"`
	NameES     string `json:"name_es"`
	Subscribed bool   `json:"subscribed"`
}

// unsubscribeState is what a link names and whether the resident still gets it.
func (p *Portal) unsubscribeState(c alertlink.Claims) ([]unsubscribeTopic, error) {
	names := topicNames(p.app, c.Topics)
	var have []string
	err := p.app.DB().Select("topic").From("alert_subscriptions").
		Where(dbx.HashExp{"user": c.User}).AndWhere(dbx.In("topic", anySlice(c.Topics)...)).Column(&have)
	if err != nil {
		return nil, err
	}
	out := []unsubscribeTopic{}
	for _, id := range c.Topics {
		n, ok := names[id]
		if !ok {
			continue // a topic since deleted: nothing to stop
		}
		out = append(out, unsubscribeTopic{ID: id, NameEN: n[0], NameES: n[1], Subscribed: slices.Contains(have, id)})
	}
	return out, nil
}

// handleUnsubscribeInfo says what a link would stop, without changing anything.
func (p *Portal) handleUnsubscribeInfo(e *core.RequestEvent) error {
	c, _, err := p.unsubscribeClaims(e)
	if err != nil {
		return err
	}
	topics, err := p.unsubscribeState(c)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{"topics": topics})
}

// handleUnsubscribe stops the alerts a link names (the one-click POST of a
// mail client, or the page's button). Stopping twice answers the same.
func (p *Portal) handleUnsubscribe(e *core.RequestEvent) error {
	c, lang, err := p.unsubscribeClaims(e)
	if err != nil {
		return err
	}
	if _, err := p.app.DB().Delete("alert_subscriptions", dbx.And(dbx.HashExp{"user": c.User}, dbx.In("topic", anySlice(c.Topics)...))).Execute(); err != nil {
		return e.InternalServerError("", err)
	}
	topics, err := p.unsubscribeState(c)
	if err != nil {
		return e.InternalServerError("", err)
	}
	var names []string
	for _, t := range topics {
		if lang == i18n.ES {
			names = append(names, t.NameES)
		} else {
			names = append(names, t.NameEN)
		}
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{"topics": topics, "message": lang.T("alerts.unsubscribed", strings.Join(names, ", "))})
}
