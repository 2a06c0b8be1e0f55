package hooks

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Over capacity: a fast "busy" instead of a slow nothing.
//
// A small server does a bounded amount of work at once. When more requests
// arrive than it can answer, each one that is let in makes every other
// slower, the queue grows without end, memory with it, and after the
// clients' timeout nobody gets an answer at all. So at most maxInFlight API
// requests are worked on at once; one that finds no free place within
// inFlightWait is answered 503 with Retry-After and the "busy" message in
// the caller's language (nothing it sent was saved, so nothing is lost), in
// microseconds, and the requests already let in finish at the speed the
// server has.
//
// Not counted: the site's files (served from memory), the health check
// (monitors must see the server alive and busy, not down), realtime
// subscriptions and file downloads (long-lived, they do little work while
// they last), uploads (a slow phone would hold a place for minutes; their
// processing has its own bound, uploadSlots) and superusers (who must be
// able to act on an overloaded server).
const (
	maxInFlight  = 32
	inFlightWait = 2 * time.Second
	busyRetry    = 2 // seconds, in Retry-After
)

// capacity holds the places of the requests being worked on.
type capacity struct {
	places chan struct{}
	wait   time.Duration
}

func newCapacity(n int, wait time.Duration) *capacity {
	return &capacity{places: make(chan struct{}, n), wait: wait}
}

// admit takes a place, waiting at most c.wait (or until the caller goes
// away): it returns the function that gives the place back, or nil.
func (c *capacity) admit(r *http.Request) (release func()) {
	select {
	case c.places <- struct{}{}:
		return c.release
	default:
	}
	t := time.NewTimer(c.wait)
	defer t.Stop()
	select {
	case c.places <- struct{}{}:
		return c.release
	case <-t.C:
		return nil
	case <-r.Context().Done():
		return nil
	}
}

func (c *capacity) release() { <-c.places }

// counted reports whether a request needs a place.
func counted(e *core.RequestEvent) bool {
	path := e.Request.URL.Path
	switch {
	case !strings.HasPrefix(path, "/api/"),
		path == "/api/health",
		strings.HasPrefix(path, "/api/realtime"),
		strings.HasPrefix(path, "/api/files/"),
		strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/"),
		e.HasSuperuserAuth():
		return false
	}
	return true
}

// registerCapacity installs the bound on every route, after the rate
// limiter (a request over its rate takes no place) and the loading of the
// caller's token.
func (p *Portal) registerCapacity() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallCapacity",
		Func: func(se *core.ServeEvent) error {
			se.Router.Bind(&hook.Handler[*core.RequestEvent]{
				Id:       "townhallCapacity",
				Priority: apis.DefaultRateLimitMiddlewarePriority + 5,
				Func: func(e *core.RequestEvent) error {
					if !counted(e) {
						return e.Next()
					}
					release := p.capacity.admit(e.Request)
					if release == nil {
						e.Response.Header().Set("Retry-After", strconv.Itoa(busyRetry))
						return router.NewApiError(http.StatusServiceUnavailable, requestLang(e).T("errors.busy"), nil)
					}
					defer release()
					return e.Next()
				},
			})
			return se.Next()
		},
	})
}
