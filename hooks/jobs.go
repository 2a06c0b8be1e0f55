package hooks

import (
	"fmt"
	"sync"
)

// registerJobs schedules the background work: the mail outbox every minute,
// permit expiry and reminders every hour. PocketBase's cron runs each tick in
// its own goroutine with no overlap protection; runJob adds it.
func (p *portal) registerJobs() {
	p.app.Cron().MustAdd("townhall_outbox", "* * * * *", func() {
		p.runJob("outbox", func() error { _, _, err := p.SendOutbox(); return err })
	})
	p.app.Cron().MustAdd("townhall_permit_expiry", "7 * * * *", func() {
		p.runJob("permit_expiry", func() error {
			if _, err := p.ExpirePermits(); err != nil {
				return err
			}
			_, err := p.RemindExpiringPermits()
			return err
		})
	})
}

// runJob runs fn unless the same job is still running, and never lets a
// failure or a panic reach the server: both are logged.
func (p *portal) runJob(name string, fn func() error) (ran bool) {
	m, _ := p.jobs.LoadOrStore(name, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	if !mu.TryLock() {
		p.app.Logger().Warn("scheduled job still running; skipping this tick", "job", name)
		return false
	}
	defer mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			p.app.Logger().Error("scheduled job panicked", "job", name, "panic", fmt.Sprint(r))
		}
	}()
	if err := fn(); err != nil {
		p.app.Logger().Error("scheduled job failed", "job", name, "error", err)
	}
	return true
}
