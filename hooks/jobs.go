package hooks

import (
	"errors"
	"fmt"
	"sync"
)

// registerJobs schedules the background work: the mail outbox every minute,
// escalation of overdue reports every few minutes (the town's setting, 5 by
// default), permit expiry, reminders and closing of resolved reports every
// hour. PocketBase's cron runs each tick in
// its own goroutine with no overlap protection; runJob adds it.
func (p *Portal) registerJobs() {
	p.app.Cron().MustAdd("townhall_outbox", "* * * * *", func() {
		p.runJob("outbox", func() error { _, _, err := p.SendOutbox(); return err })
	})
	p.app.Cron().MustAdd("townhall_escalation", "* * * * *", func() {
		every := p.townSettings(p.app).EscalateEvery
		if every < 1 || (p.now().Unix()/60)%int64(every) != 0 {
			return
		}
		p.runJob("escalation", func() error { _, err := p.EscalateOverdue(false); return err })
	})
	p.app.Cron().MustAdd("townhall_hourly", "7 * * * *", func() {
		p.runJob("hourly", func() error {
			_, err1 := p.ExpirePermits()
			_, err2 := p.RemindExpiringPermits()
			_, err3 := p.CloseResolvedReports()
			_, err4 := p.ExpirePublicList()
			return errors.Join(err1, err2, err3, err4)
		})
	})
}

// runJob runs fn unless the same job is still running, and never lets a
// failure or a panic reach the server: both are logged.
func (p *Portal) runJob(name string, fn func() error) (ran bool) {
	m, _ := p.jobs.LoadOrStore(name, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	if !mu.TryLock() {
		p.app.Logger().Warn("scheduled job still running; skipping this tick", "job", name)
		return false
	}
	defer mu.Unlock()
	// maintenance mode: jobs that write wait until it is over
	if on, _ := p.Maintenance(); on {
		p.app.Logger().Debug("maintenance mode: scheduled job waits", "job", name)
		return false
	}
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
