package hooks

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/i18n"
)

// Outages and announcements: telling residents and staff, and keeping
// service going while something is repaired.
//
//	GET /api/townhall/public/notices?on=site|staff   the banners to show now, and maintenance mode
//	GET /api/townhall/public/announcements.atom      an Atom feed of the public notices (?lang=es)
//	GET /api/townhall/status                         for uptime monitors (details for administrators)
//
// Maintenance mode (town_settings.maintenance, switched in the dashboard or
// with `townhall maintenance on|off`): every change through the API answers
// 503 with Retry-After and the town's message in the caller's language;
// reading, signing in and the dashboard keep working; scheduled jobs that
// write (mail, escalation, the hourly jobs) wait. The switch is read from the
// database at most every maintenanceTTL, so a command run next to the server
// takes effect within that time.

const maintenanceTTL = 2 * time.Second

// maintenanceRetry is what a refused change is told to wait, in seconds.
const maintenanceRetry = 300

// maintenanceState is the switch and its messages.
type maintenanceState struct {
	On                 bool
	Message, MessageES string
	read               time.Time
}

// maintenanceCache keeps the switch between reads, shared by WithApp copies.
type maintenanceCache struct {
	mu  sync.Mutex
	val maintenanceState
}

// Maintenance reports whether maintenance mode is on, and its message.
func (p *Portal) Maintenance() (on bool, message string) {
	s := p.maintenance()
	return s.On, s.Message
}

func (p *Portal) maintenance() maintenanceState {
	c := p.maint
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.val.read) < maintenanceTTL {
		return c.val
	}
	var row struct {
		On        bool   `db:"maintenance"`
		Message   string `db:"maintenance_message"`
		MessageES string `db:"maintenance_message_es"`
	}
	err := p.app.DB().NewQuery("SELECT maintenance, maintenance_message, maintenance_message_es FROM town_settings LIMIT 1").One(&row)
	if err != nil {
		// no settings yet (or a database that cannot answer): not in maintenance
		row.On = false
	}
	c.val = maintenanceState{On: row.On, Message: row.Message, MessageES: row.MessageES, read: time.Now()}
	return c.val
}

// forgetMaintenance makes the next request read the switch again.
func (p *Portal) forgetMaintenance() {
	p.maint.mu.Lock()
	p.maint.val.read = time.Time{}
	p.maint.mu.Unlock()
}

// message is the maintenance message in lang, or the default one.
func (s maintenanceState) message(lang i18n.Lang) string {
	if lang == i18n.ES && s.MessageES != "" {
		return s.MessageES
	}
	if s.Message != "" {
		return s.Message
	}
	return lang.T("maintenance.default")
}

// SetMaintenance switches maintenance mode on or off with its messages.
func (p *Portal) SetMaintenance(on bool, message, messageES string) error {
	r, err := p.app.FindFirstRecordByFilter("town_settings", "")
	if err != nil {
		return err
	}
	r.Set("maintenance", on)
	if on || message != "" {
		r.Set("maintenance_message", message)
		r.Set("maintenance_message_es", messageES)
	}
	if err := p.app.Save(r); err != nil {
		return err
	}
	p.forgetMaintenance()
	return nil
}

// keepsWorking are the writes maintenance mode lets through: signing in
// (to read one's requests) and realtime subscriptions.
func keepsWorking(path string) bool {
	return path == "/api/realtime" ||
		(strings.HasPrefix(path, "/api/collections/") && (strings.HasSuffix(path, "/auth-with-password") ||
			strings.HasSuffix(path, "/auth-refresh") || strings.HasSuffix(path, "/auth-with-otp") ||
			strings.HasSuffix(path, "/request-otp") || strings.HasSuffix(path, "/auth-methods")))
}

// refuseWritesInMaintenance answers changes with 503 while maintenance mode is on.
func (p *Portal) refuseWritesInMaintenance(e *core.RequestEvent) error {
	switch e.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return e.Next()
	}
	path := e.Request.URL.Path
	if !strings.HasPrefix(path, "/api/") || keepsWorking(path) || e.HasSuperuserAuth() {
		return e.Next()
	}
	s := p.maintenance()
	if !s.On {
		return e.Next()
	}
	e.Response.Header().Set("Retry-After", strconv.Itoa(maintenanceRetry))
	return router.NewApiError(http.StatusServiceUnavailable, s.message(requestLang(e)), map[string]any{"maintenance": true})
}

// registerOutages adds the routes, the maintenance guard and the forgetting
// of the cached switch when the settings are saved in this process.
func (p *Portal) registerOutages() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallOutages",
		Func: func(se *core.ServeEvent) error {
			se.Router.BindFunc(p.refuseWritesInMaintenance)
			se.Router.GET("/api/townhall/public/notices", p.handleNotices)
			se.Router.GET("/api/townhall/public/announcements.atom", p.handleAnnouncementsFeed)
			se.Router.GET("/api/townhall/status", p.handleStatus)
			return se.Next()
		},
	})
	p.app.OnRecordAfterUpdateSuccess("town_settings").BindFunc(func(e *core.RecordEvent) error {
		p.forgetMaintenance()
		return e.Next()
	})
}

// notice is an announcement as the sites show it.
type notice struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	TitleEN  string `json:"title_en" db:"title_en"`
	TitleES  string `json:"title_es" db:"title_es"`
	BodyEN   string `json:"body_en" db:"body_en"`
	BodyES   string `json:"body_es" db:"body_es"`
	StartsAt string `json:"starts_at" db:"starts_at"`
	EndsAt   string `json:"ends_at" db:"ends_at"`
	Updated  string `json:"updated"`
}

// severityOrder puts outages first, then warnings, then information.
const severityOrder = "CASE severity WHEN 'outage' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"

// currentNotices are the announcements in force now where they show ("site" or "staff").
func (p *Portal) currentNotices(on string) ([]notice, error) {
	now := p.now().UTC().Format("2006-01-02 15:04:05.000Z")
	var out []notice
	err := p.app.DB().NewQuery(`SELECT id, severity, title_en, title_es, body_en, body_es, starts_at, ends_at, updated
		FROM announcements
		WHERE starts_at <= {:now} AND (ends_at = '' OR ends_at > {:now}) AND shows_on IN ({:on}, 'both')
		ORDER BY ` + severityOrder + `, starts_at DESC LIMIT 10`).Bind(dbx.Params{"now": now, "on": on}).All(&out)
	return out, err
}

// handleNotices answers the banners of the resident site or the staff console.
func (p *Portal) handleNotices(e *core.RequestEvent) error {
	on := e.Request.URL.Query().Get("on")
	if on != "staff" {
		on = "site"
	}
	list, err := p.currentNotices(on)
	if err != nil {
		return err
	}
	if list == nil {
		list = []notice{}
	}
	s := p.maintenance()
	e.Response.Header().Set("Cache-Control", "no-cache")
	return e.JSON(http.StatusOK, map[string]any{
		"maintenance": map[string]any{"on": s.On, "message": s.message(i18n.EN), "message_es": s.message(i18n.ES)},
		"notices":     list,
	})
}

// The Atom feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string   `xml:"id"`
	Title     string   `xml:"title"`
	Updated   string   `xml:"updated"`
	Published string   `xml:"published"`
	Link      atomLink `xml:"link"`
	Category  struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
	Summary string `xml:"summary"`
}

// handleAnnouncementsFeed answers the 50 newest public notices as Atom.
func (p *Portal) handleAnnouncementsFeed(e *core.RequestEvent) error {
	lang := i18n.Parse(e.Request.URL.Query().Get("lang"))
	now := p.now().UTC().Format("2006-01-02 15:04:05.000Z")
	var rows []notice
	err := p.app.DB().Select("id", "severity", "title_en", "title_es", "body_en", "body_es", "starts_at", "ends_at", "updated").
		From("announcements").
		Where(dbx.NewExp("starts_at <= {:now}", dbx.Params{"now": now})).
		AndWhere(dbx.In("shows_on", "site", "both")).
		OrderBy("starts_at DESC").Limit(50).All(&rows)
	if err != nil {
		return err
	}
	town := p.townSettings(p.app).Name
	status := p.siteURL(p.app, "/status.html")
	feed := atomFeed{
		Lang: string(lang), ID: status, Title: lang.T("status.feed_title", town),
		Updated: atomTime(now),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: p.siteURL(p.app, "/api/townhall/public/announcements.atom") + "?lang=" + string(lang)},
			{Rel: "alternate", Type: "text/html", Href: status}},
		Author: atomAuthor{Name: town},
	}
	for i, n := range rows {
		if i == 0 {
			feed.Updated = atomTime(n.Updated)
		}
		title, body := n.TitleEN, n.BodyEN
		if lang == i18n.ES && n.TitleES != "" {
			title, body = n.TitleES, n.BodyES
		}
		entry := atomEntry{ID: status + "#notice-" + n.ID, Title: title, Updated: atomTime(n.Updated), Published: atomTime(n.StartsAt),
			Link: atomLink{Rel: "alternate", Type: "text/html", Href: status + "#notice-" + n.ID}, Summary: body}
		entry.Category.Term = n.Severity
		feed.Entries = append(feed.Entries, entry)
	}
	raw, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return err
	}
	e.Response.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	e.Response.WriteHeader(http.StatusOK)
	_, err = e.Response.Write(append([]byte(xml.Header), raw...))
	return err
}

// atomTime writes a PocketBase date as RFC 3339.
func atomTime(s string) string {
	t, err := time.Parse("2006-01-02 15:04:05.000Z", s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339)
}

// handleStatus answers uptime monitors: "ok", "degraded" (mail failing or
// waiting over an hour) or "maintenance", with counts; administrators also
// get the last backup and the free disk space. 200 unless in maintenance (503).
func (p *Portal) handleStatus(e *core.RequestEvent) error {
	app := e.App
	var pending, failed, stale int
	hourAgo := p.now().UTC().Add(-time.Hour).Format("2006-01-02 15:04:05.000Z")
	if err := app.DB().NewQuery(`SELECT
			COUNT(CASE WHEN status = 'pending' THEN 1 END),
			COUNT(CASE WHEN status = 'failed' THEN 1 END),
			COUNT(CASE WHEN status = 'pending' AND created < {:hour} AND kind != 'alert' THEN 1 END)
		FROM outbox WHERE status IN ('pending', 'failed')`).Bind(dbx.Params{"hour": hourAgo}).Row(&pending, &failed, &stale); err != nil {
		return err
	}
	s := p.maintenance()
	status := "ok"
	switch {
	case s.On:
		status = "maintenance"
	case failed > 0 || stale > 0:
		status = "degraded"
	}
	out := map[string]any{"status": status, "maintenance": s.On,
		"outbox": map[string]int{"pending": pending, "failed": failed, "waiting_over_an_hour": stale}}
	if e.HasSuperuserAuth() {
		if at, ok := lastBackup(app); ok {
			out["last_backup"] = at.UTC().Format(time.RFC3339)
		} else {
			out["last_backup"] = nil
		}
		if free, total, ok := p.diskSpace(app.DataDir()); ok {
			out["disk"] = map[string]any{"free_bytes": free, "total_bytes": total, "free_percent": percent(free, total)}
		}
	}
	code := http.StatusOK
	if s.On {
		code = http.StatusServiceUnavailable
		e.Response.Header().Set("Retry-After", strconv.Itoa(maintenanceRetry))
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(code, out)
}

// lastBackup is when the newest backup was made.
func lastBackup(app core.App) (time.Time, bool) {
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return time.Time{}, false
	}
	defer fsys.Close()
	files, err := fsys.List("")
	if err != nil || len(files) == 0 {
		return time.Time{}, false
	}
	var newest time.Time
	for _, f := range files {
		if f.ModTime.After(newest) {
			newest = f.ModTime
		}
	}
	return newest, true
}

// percent is free as a share of total, rounded to one decimal.
func percent(free, total uint64) float64 {
	if total == 0 {
		return 0
	}
	return float64(int(float64(free)/float64(total)*1000+0.5)) / 10
}
