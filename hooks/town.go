package hooks

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/sla"
)

// town is the county's own settings (the town_settings record), with the
// defaults of a new installation where a value is missing.
type town struct {
	Name           string
	Calendar       sla.Calendar
	ReopenDays     int
	MaxUploadMB    int
	MaxMegapixels  int
	EscalationWait time.Duration // business hours between escalation levels
	EscalateEvery  int           // minutes between escalation runs
}

// townCache keeps the town's settings between saves of the record: they are
// read several times per request and change a few times a year. A load that
// raced with a save is not kept (the generation moved on).
type townCache struct {
	mu  sync.Mutex
	gen uint64
	val *town
}

// get returns the cached settings, or loads and keeps them.
func (c *townCache) get(load func() town) town {
	c.mu.Lock()
	if c.val != nil {
		t := *c.val
		c.mu.Unlock()
		return t
	}
	gen := c.gen
	c.mu.Unlock()
	t := load()
	c.mu.Lock()
	if c.gen == gen {
		c.val = &t
	}
	c.mu.Unlock()
	return t
}

// forget drops the cached settings (after a save of the record).
func (c *townCache) forget() {
	c.mu.Lock()
	c.gen++
	c.val = nil
	c.mu.Unlock()
}

// townSettings is the town's settings, read once and kept until the record
// is saved again (through any path that runs hooks: the dashboard, the API,
// Go code). A broken or missing record gives the defaults.
func (p *Portal) townSettings(app core.App) town {
	return p.town.get(func() town { return loadTownSettings(app) })
}

// loadTownSettings reads the town's settings; a broken or missing record
// falls back to the defaults (Mon–Fri 08:00–17:00 America/Chicago).
func loadTownSettings(app core.App) town {
	t := town{Name: "Townhall", Calendar: sla.Default(), ReopenDays: 14, MaxUploadMB: 15, MaxMegapixels: 40, EscalationWait: 8 * time.Hour, EscalateEvery: 5}
	r, err := app.FindFirstRecordByFilter("town_settings", "")
	if err != nil {
		return t
	}
	if cal, err := calendarOf(r); err == nil {
		t.Calendar = cal
	}
	if v := r.GetString("town_name"); v != "" {
		t.Name = v
	}
	if v := r.GetInt("reopen_days"); v > 0 {
		t.ReopenDays = v
	}
	if v := r.GetInt("max_upload_mb"); v > 0 {
		t.MaxUploadMB = v
	}
	if v := r.GetInt("max_megapixels"); v > 0 {
		t.MaxMegapixels = v
	}
	if v := r.GetInt("escalation_every_minutes"); v > 0 {
		t.EscalateEvery = v
	}
	if v := r.GetInt("escalation_delay_hours"); v > 0 {
		t.EscalationWait = time.Duration(v) * time.Hour
	}
	return t
}

// calendarOf builds the business calendar of a town_settings record.
func calendarOf(r *core.Record) (sla.Calendar, error) {
	var holidays []string
	if raw := r.GetString("holidays"); raw != "" && raw != "null" {
		if err := json.Unmarshal([]byte(raw), &holidays); err != nil {
			return sla.Calendar{}, err
		}
	}
	return sla.NewCalendar(r.GetString("timezone"), r.GetStringSlice("work_days"),
		r.GetString("open_time"), r.GetString("close_time"), holidays)
}

// calendarFields are the town_settings fields calendarOf reads.
var calendarFields = []string{"timezone", "work_days", "open_time", "close_time", "holidays"}

// calendarChanged reports whether a save changed the business calendar.
func calendarChanged(r *core.Record) bool {
	before := r.Original()
	for _, f := range calendarFields {
		if fmt.Sprint(before.Get(f)) != fmt.Sprint(r.Get(f)) {
			return true
		}
	}
	return false
}

// townLocation is the county's time zone.
func (p *Portal) townLocation(app core.App) *time.Location {
	return p.townSettings(app).Calendar.Location()
}

// registerTownSettings refuses a calendar that cannot work (unknown time
// zone, no working day, closing before opening, a bad holiday date).
func (p *Portal) registerTownSettings() {
	check := func(e *core.RecordEvent) error {
		if _, err := calendarOf(e.Record); err != nil {
			return validationError("timezone", "calendar", "The working calendar is not valid: "+err.Error())
		}
		return e.Next()
	}
	p.app.OnRecordCreate("town_settings").BindFunc(check)
	p.app.OnRecordUpdate("town_settings").BindFunc(check)
	forget := func(e *core.RecordEvent) error {
		p.town.forget()
		return e.Next()
	}
	p.app.OnRecordAfterCreateSuccess("town_settings").BindFunc(forget)
	p.app.OnRecordAfterUpdateSuccess("town_settings").BindFunc(forget)
	p.app.OnRecordAfterDeleteSuccess("town_settings").BindFunc(forget)
}
