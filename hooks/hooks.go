// Package hooks adapts Townhall's rules to PocketBase: record hooks that every
// save passes through, request hooks for the API, our own routes and jobs.
// Register installs all of them; each concern lives in its own file.
package hooks

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/media"
	"github.com/townhall-portal/townhall/internal/smtpsend"
)

// Options adjusts the hooks for tests and tools.
type Options struct {
	// Now is the clock of lifecycle dates, deadlines and jobs (default time.Now).
	Now func() time.Time
}

// Portal is Townhall's rules installed on an app: what the hooks share (the
// app, the clock, the locks that keep a scheduled job from overlapping
// itself) and the Go entry to the actions and jobs for commands, seeding and
// tests — the same code paths the API uses.
type Portal struct {
	app     core.App
	now     func() time.Time
	jobs    *sync.Map // job name -> *sync.Mutex, shared by WithApp copies
	uploads *uploads
	town    *townCache // the town's settings, shared by WithApp copies
	smtp    smtpsend.Timeouts
	// sendSoon starts delivering the outbox now (after an account email is
	// queued), without waiting for the next minute; tests turn it off
	sendSoon func()
	// freeSpace tells the free bytes on a folder's disk (tests shrink it)
	freeSpace func(dir string) (uint64, bool)
	// diskSpace tells the free and total bytes of a folder's disk (tests shrink it)
	diskSpace func(dir string) (free, total uint64, ok bool)
	// fastLists answers residents' lists from indexed scopes (residentlists.go)
	fastLists bool
	public    *publicLists // the public list's order, forgotten on every change
	maint     *maintenanceCache
	// backfilling: writing a past history (Backfill): saves carry the
	// clock's time and no email is queued
	backfilling bool
	// factsSeen is how many facts Insights read last time (to size its buffers)
	factsSeen *atomic.Int64
	// capacity bounds the API requests worked on at once (capacity.go)
	capacity *capacity
	mirror   *insightMirror // the Insights roll-up in memory (insightmirror.go)
}

// Register installs every Townhall hook, route and scheduled job on app and
// returns the portal for Go callers (commands) that run actions and jobs.
func Register(app core.App) *Portal { return RegisterWith(app, Options{}) }

// RegisterWith is Register with options (a test clock).
func RegisterWith(app core.App, opts Options) *Portal {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Portal{app: app, now: opts.Now, jobs: &sync.Map{}, town: &townCache{}, maint: &maintenanceCache{}, public: &publicLists{},
		factsSeen: &atomic.Int64{}, capacity: newCapacity(maxInFlight, inFlightWait), mirror: &insightMirror{},
		uploads: &uploads{limiter: media.NewLimiter(uploadSlots)}}
	p.freeSpace = freeSpace
	p.diskSpace = diskSpace
	p.sendSoon = func() {
		go p.runJob("outbox", func() error { _, _, err := p.SendOutbox(); return err })
	}
	p.registerFaults()
	p.registerCapacity()
	p.registerRequestLog()
	registerGuards(app)
	registerVisibility(app)
	p.registerResidentLists()
	p.registerDefaults()
	p.registerTownSettings()
	p.registerAccounts()
	p.registerAccountMail()
	p.registerCounter()
	p.registerMyData()
	p.registerOutages()
	p.registerPermits()
	p.registerComplaints()
	p.registerFeedback()
	p.registerDocuments()
	p.registerRoutes()
	p.registerStaffRoutes()
	p.registerJobs()
	p.registerHousekeeping()
	p.registerInsights()
	p.registerOpen311()
	p.registerPublicInsights()
	p.registerMaps()
	p.registerAlerts()
	p.registerAddresses()
	return p
}
