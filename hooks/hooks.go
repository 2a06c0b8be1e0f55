// Package hooks adapts Townhall's rules to PocketBase: record hooks that every
// save passes through, request hooks for the API, our own routes and jobs.
// Register installs all of them; each concern lives in its own file.
package hooks

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/media"
)

// Options adjusts the hooks for tests and tools.
type Options struct {
	// Now is the clock of lifecycle dates, deadlines and jobs (default time.Now).
	Now func() time.Time
}

// portal carries what the hooks share: the app, the clock and the locks that
// keep a scheduled job from overlapping itself.
type portal struct {
	app     core.App
	now     func() time.Time
	jobs    sync.Map // job name -> *sync.Mutex
	uploads *uploads
}

// Register installs every Townhall hook, route and scheduled job on app and
// returns the portal for Go callers (commands) that run actions and jobs.
func Register(app core.App) *Portal { return RegisterWith(app, Options{}) }

// RegisterWith is Register with options (a test clock).
func RegisterWith(app core.App, opts Options) *Portal {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &portal{app: app, now: opts.Now, uploads: &uploads{limiter: media.NewLimiter(uploadSlots)}}
	registerGuards(app)
	registerVisibility(app)
	registerDefaults(app)
	p.registerTownSettings()
	p.registerAccounts()
	p.registerPermits()
	p.registerComplaints()
	p.registerFeedback()
	p.registerDocuments()
	p.registerRoutes()
	p.registerStaffRoutes()
	p.registerJobs()
	return &Portal{p: p}
}
