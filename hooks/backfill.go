package hooks

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Backfill runs fn with the portal acting at the times clock gives, to write
// a believable past through the real actions (the demo county's history):
// deadlines, numbers, events and the Insights roll-up follow the clock, each
// record saved carries the clock's time as its created/updated date, and no
// email is queued; the Insights roll-up of the requests written is built at
// the end, in one pass. The server must not be serving meanwhile (commands run it
// before serve starts); the portal's own clock is back when fn returns.
func (p *Portal) Backfill(clock func() time.Time, fn func() error) error {
	saved := p.now
	p.now, p.backfilling = clock, true
	err := fn()
	p.now, p.backfilling = saved, false
	if err != nil {
		return err
	}
	// the Insights roll-up of what was written, in one pass rather than on every save
	_, err = p.RebuildInsightFacts(true)
	return err
}

// Now is the portal's clock (the backfill's while one runs).
func (p *Portal) Now() time.Time { return p.now() }

// Stamp dates r with the portal's clock while a backfill runs (created too
// when it is new); otherwise PocketBase dates it as usual.
func (p *Portal) Stamp(r *core.Record, created bool) { p.stamp(r, created) }

func (p *Portal) stamp(r *core.Record, created bool) {
	if !p.backfilling {
		return
	}
	now, err := types.ParseDateTime(p.now().UTC())
	if err != nil {
		return
	}
	if created {
		r.SetRaw("created", now)
	}
	r.SetRaw("updated", now)
}
