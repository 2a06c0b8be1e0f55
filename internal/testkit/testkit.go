// Package testkit is what Townhall's test suites share (like Beszel's
// internal/tests): the in-process server that `townhall serve` would run,
// and a clock tests move by hand. It imports no Townhall package, so the
// hooks package's own tests can use it too.
package testkit

import (
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Handler builds the HTTP handler `serve` would use for app: PocketBase's
// router with every OnServe hook applied (where Townhall binds its routes,
// middlewares and the embedded site). Register Townhall on app first.
func Handler(app core.App) (http.Handler, error) {
	r, err := apis.NewRouter(app)
	if err != nil {
		return nil, err
	}
	se := new(core.ServeEvent)
	se.App = app
	se.Router = r
	if err := app.OnServe().Trigger(se, func(e *core.ServeEvent) error { return nil }); err != nil {
		return nil, err
	}
	return r.BuildMux()
}

// Clock is a clock tests move by hand; pass its Now to hooks.Options.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock is a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
