package hooks

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// TestMaintenanceRefusesChangesKeepsReads: with maintenance mode on, every
// change answers 503 with Retry-After and the message in the caller's
// language; reading, signing in and the dashboard keep working; scheduled
// jobs wait; switched off, changes go through again.
func TestMaintenanceRefusesChangesKeepsReads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if err := e.portal.SetMaintenance(true, "We are moving to a new server; back by 9 PM.", "Nos mudamos a un servidor nuevo; volvemos a las 9 p. m."); err != nil {
		t.Fatal(err)
	}
	report := `{"category":"` + catX + `","reporter":"` + resA + `","description":"A pothole","address":"5 Elm Street"}`
	res := e.do(t, http.MethodPost, "/api/collections/complaints/records", report, roleResA)
	if res.Status != 503 || res.Header.Get("Retry-After") != "300" || !strings.Contains(res.Body, "back by 9 PM") {
		t.Errorf("a report in maintenance: %d %v %s", res.Status, res.Header, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/permits/"+permitB+"/submit", nil, roleResB); res.Status != 503 || !strings.Contains(res.Body, "volvemos a las 9") {
		t.Errorf("a Spanish resident's action in maintenance: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/townhall/complaints/"+complaintA+"/acknowledge", nil, roleClerkX); res.Status != 503 {
		t.Errorf("a clerk's action in maintenance: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodGet, "/api/collections/complaints/records", nil, roleResA); res.Status != 200 {
		t.Errorf("reading in maintenance: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/collections/users/auth-with-password", `{"identity":"a@resident.test","password":"correct-horse-battery"}`, roleAnon); res.Status != 200 {
		t.Errorf("signing in in maintenance: %d %s", res.Status, res.Body)
	}
	if ran := e.portal.runJob("maintenance-test", func() error { t.Error("a scheduled job ran in maintenance"); return nil }); ran {
		t.Error("runJob says it ran")
	}
	var notices struct {
		Maintenance struct {
			On      bool   `json:"on"`
			Message string `json:"message"`
		} `json:"maintenance"`
	}
	e.do(t, http.MethodGet, "/api/townhall/public/notices", nil, roleAnon).JSON(t, &notices)
	if !notices.Maintenance.On || !strings.Contains(notices.Maintenance.Message, "back by 9 PM") {
		t.Errorf("the notices say %+v", notices)
	}
	// the dashboard switches it off
	res = e.do(t, http.MethodPatch, "/api/collections/town_settings/records/"+settingsID, `{"maintenance":false}`, roleSuperuser)
	if res.Status != 200 {
		t.Fatalf("switching off in the dashboard: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodPost, "/api/collections/complaints/records", report, roleResA); res.Status != 200 {
		t.Errorf("a report after maintenance: %d %s", res.Status, res.Body)
	}
}

// TestNoticesAndTheirFeed: the banners are the notices in force where they
// show; the Atom feed lists the public ones that have started, in the
// language asked for.
func TestNoticesAndTheirFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	add := func(id string, fields map[string]any) {
		col, err := e.app.FindCollectionByNameOrId("announcements")
		if err != nil {
			t.Fatal(err)
		}
		r := core.NewRecord(col)
		r.Id = id
		r.Load(fields)
		if err := e.app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	// the test clock is 17 November 2026
	add("noticestaff0001", map[string]any{"title_en": "Console upgrade tonight", "severity": "info", "starts_at": "2026-11-16 00:00:00.000Z", "shows_on": "staff"})
	add("noticeended0001", map[string]any{"title_en": "Phones were down", "title_es": "Los teléfonos no funcionaban", "body_es": "Ya funcionan.",
		"severity": "outage", "starts_at": "2026-11-10 00:00:00.000Z", "ends_at": "2026-11-11 00:00:00.000Z", "shows_on": "site"})
	add("noticeoutage001", map[string]any{"title_en": "Online payments are down", "severity": "outage", "starts_at": "2026-11-17 12:00:00.000Z", "shows_on": "site"})
	ids := func(on string) string {
		var out struct {
			Notices []notice `json:"notices"`
		}
		e.do(t, http.MethodGet, "/api/townhall/public/notices?on="+on, nil, roleAnon).JSON(t, &out)
		var got []string
		for _, n := range out.Notices {
			got = append(got, n.ID)
		}
		return strings.Join(got, ",")
	}
	if got := ids("site"); got != "noticeoutage001,"+noticeNow {
		t.Errorf("site banners: %s (want the outage first, then the warning)", got)
	}
	if got := ids("staff"); got != noticeNow+",noticestaff0001" {
		t.Errorf("staff banners: %s", got)
	}

	res := e.do(t, http.MethodGet, "/api/townhall/public/announcements.atom?lang=es", nil, roleAnon)
	if res.Status != 200 || res.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" || !strings.HasPrefix(res.Body, "<?xml") {
		t.Fatalf("feed: %d %v %.200s", res.Status, res.Header, res.Body)
	}
	var feed struct {
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(res.Body), &feed); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, en := range feed.Entries {
		titles = append(titles, en.Title)
	}
	if got := strings.Join(titles, " | "); got != "Online payments are down | Los teléfonos no funcionaban | Obras en Oak Street" {
		t.Errorf("feed entries: %s", got)
	}
}

// TestStatusForMonitors: monitors get the state and counts; only
// administrators get the backup time and disk space; maintenance is a 503.
func TestStatusForMonitors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var anon map[string]any
	res := e.do(t, http.MethodGet, "/api/townhall/status", nil, roleAnon)
	if res.Status != 200 {
		t.Fatalf("status: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &anon)
	if anon["status"] != "ok" || anon["disk"] != nil || anon["last_backup"] != nil {
		t.Errorf("anonymous status: %v", anon)
	}
	var admin map[string]any
	e.do(t, http.MethodGet, "/api/townhall/status", nil, roleSuperuser).JSON(t, &admin)
	if _, ok := admin["disk"].(map[string]any); !ok {
		t.Errorf("administrator's status has no disk: %v", admin)
	}
	if _, ok := admin["last_backup"]; !ok {
		t.Errorf("administrator's status has no last backup: %v", admin)
	}
	if err := e.portal.SetMaintenance(true, "", ""); err != nil {
		t.Fatal(err)
	}
	res = e.do(t, http.MethodGet, "/api/townhall/status", nil, roleAnon)
	var m map[string]any
	_ = json.Unmarshal([]byte(res.Body), &m)
	if res.Status != 503 || m["status"] != "maintenance" {
		t.Errorf("status in maintenance: %d %s", res.Status, res.Body)
	}
}
