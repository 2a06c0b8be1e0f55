package hooks

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Escalation is one report climbing one level (or, in a dry run, about to).
type Escalation struct {
	ComplaintID string
	Reference   string
	From, To    int    // levels
	Reason      string // "acknowledge" or "resolve": the deadline that passed
	Deadline    time.Time
	Notify      []string // email addresses told
	Err         error    // a bad record that was skipped, or one left to the next run
}

// Deferred reports whether the report was left for the next run because the
// database stayed locked by another process (the server's own job, a second
// `townhall escalate`, a backup): nothing is wrong with the report.
func (x Escalation) Deferred() bool { return errors.Is(x.Err, errStillLocked) }

// String is the line `townhall escalate` prints.
func (x Escalation) String() string {
	if x.Deferred() {
		return fmt.Sprintf("%s  left for the next run: %v", x.Reference, x.Err)
	}
	if x.Err != nil {
		return fmt.Sprintf("%s  skipped: %v", x.Reference, x.Err)
	}
	notify := strings.Join(x.Notify, ", ")
	if notify == "" {
		notify = "(nobody to email)"
	}
	return fmt.Sprintf("%s  level %d -> %d  %s deadline passed %s  notify %s",
		x.Reference, x.From, x.To, x.Reason, x.Deadline.UTC().Format("2006-01-02 15:04 UTC"), notify)
}

// escalationBatch bounds one run's work; the next run picks up the rest.
const escalationBatch = 500

// EscalateOverdue moves every overdue report up one level: level 1 tells the
// assignee (or the department queue), level 2 the department's supervisors,
// level 3 the directors. Each escalation is one transaction that re-reads the
// report, so a repeated, concurrent or restarted run never escalates or
// emails twice and never skips a level. With dryRun nothing is saved.
func (p *Portal) EscalateOverdue(dryRun bool) ([]Escalation, error) {
	now := p.now().UTC()
	nowDT, _ := types.ParseDateTime(now)
	var due []struct {
		ID        string `db:"id"`
		Reference string `db:"reference"`
	}
	err := retryBusy(busyBudget, func() error {
		return p.app.DB().Select("id", "reference").From("complaints").
			AndWhere(dbx.NewExp("next_escalation_at != '' AND next_escalation_at <= {:now}", dbx.Params{"now": nowDT.String()})).
			OrderBy("next_escalation_at ASC").Limit(escalationBatch).All(&due)
	})
	if err != nil {
		return nil, fmt.Errorf("listing the reports due for escalation: %w", err)
	}
	var out []Escalation
	for i, d := range due {
		x, ok := p.escalateOne(d.ID, now, dryRun)
		if !ok {
			continue
		}
		if x.Reference == "" {
			x.Reference = d.Reference
		}
		switch {
		case x.Deferred():
			// the database is held (a backup zipping, a stuck process): the
			// rest would wait as long each; leave them all to the next run
			out = append(out, x)
			for _, rest := range due[i+1:] {
				out = append(out, Escalation{ComplaintID: rest.ID, Reference: rest.Reference,
					Err: fmt.Errorf("%w: not tried in this run", errStillLocked)})
			}
			p.app.Logger().Warn("the database stayed locked; reports left for the next escalation run",
				"complaint", d.ID, "left", len(due)-i, "error", x.Err)
			return out, nil
		case x.Err != nil:
			p.app.Logger().Error("escalating a report failed; skipped", "complaint", d.ID, "error", x.Err)
		}
		out = append(out, x)
	}
	return out, nil
}

// escalateOne escalates one report if it is (still) due; ok is false when
// another run got there first. Its transaction waits for the write lock of
// another process (the server next to `townhall escalate`); if it still
// fails because the database is busy or locked, the whole transaction runs
// again, re-reading the report, for up to busyBudget in all.
func (p *Portal) escalateOne(id string, now time.Time, dryRun bool) (x Escalation, ok bool) {
	x.ComplaintID = id
	defer func() {
		if r := recover(); r != nil {
			x, ok = Escalation{ComplaintID: id, Err: fmt.Errorf("panic: %v", r)}, true
		}
	}()
	err := retryBusy(busyBudget, func() error { return p.escalateInTransaction(id, now, dryRun, &x) })
	switch {
	case errors.Is(err, errAlreadyDone):
		return x, false
	case errors.Is(err, errDryRun):
		return x, true
	case err != nil:
		x.Err = err
	}
	return x, true
}

// escalateInTransaction is one attempt at escalating a report: one
// transaction that re-reads it and fills x.
func (p *Portal) escalateInTransaction(id string, now time.Time, dryRun bool, x *Escalation) error {
	return p.app.RunInTransaction(func(tx core.App) error {
		// take the write lock first, as BEGIN IMMEDIATE would: busy_timeout
		// then waits for another process's write to finish, where a read
		// followed by a write would fail at once with SQLITE_BUSY_SNAPSHOT
		// (another process wrote since our read); a dry run writes nothing
		if !dryRun {
			if _, err := tx.DB().NewQuery("UPDATE complaints SET escalation_level = escalation_level WHERE 0").Execute(); err != nil {
				return err
			}
		}
		r, err := tx.FindRecordById("complaints", id)
		if err != nil {
			return err
		}
		t := p.townSettings(tx)
		next := nextEscalation(r, t)
		if next.IsZero() || next.After(now) {
			return errAlreadyDone
		}
		x.Reference = r.GetString("reference")
		x.From = r.GetInt("escalation_level")
		x.To = x.From + 1
		x.Reason, x.Deadline = "resolve", r.GetDateTime("resolve_due_at").Time()
		if r.GetString("status") == "new" {
			x.Reason, x.Deadline = "acknowledge", r.GetDateTime("ack_due_at").Time()
		}
		if _, err := tx.FindRecordById("complaint_categories", r.GetString("category")); err != nil {
			return fmt.Errorf("its category is missing: %w", err)
		}
		x.Notify = escalationRecipients(tx, r, x.To)
		if dryRun {
			return errDryRun
		}
		r.Set("escalation_level", x.To)
		r.Set("escalated_at", now)
		if err := tx.Save(r); err != nil {
			return err
		}
		ev := event{Action: "escalated", Public: false, Actor: SystemActor(), Data: map[string]any{
			"level": x.To, "reason": x.Reason, "deadline": x.Deadline, "notified": x.Notify}}
		if err := p.appendEvent(tx, p.complaintKind(), r, ev); err != nil {
			return err
		}
		return p.notifyEscalation(tx, r, *x, t.Calendar.Location())
	})
}

// Sentinel errors that roll an escalation's transaction back without a
// failure (compare with errors.Is).
var (
	errAlreadyDone = errors.New("already escalated")
	errDryRun      = errors.New("dry run")
)

// busyBudget is how long one report's escalation keeps trying while another
// process holds the database (the server's job and `townhall escalate` can
// run at the same time; a backup blocks writes while it zips).
const busyBudget = 10 * time.Second

// errStillLocked marks work given up because the database stayed locked for
// the whole budget (compare with errors.Is).
var errStillLocked = errors.New("the database stayed locked by another process")

// retryBusy runs fn, and runs it again after a short, growing, slightly
// random pause for as long as it fails because the database is busy or
// locked, for up to budget in total. fn must be safe to repeat: a
// transaction that re-reads what it changes. Any other error, or success,
// ends it at once; giving up wraps fn's last error in errStillLocked.
func retryBusy(budget time.Duration, fn func() error) error {
	deadline := time.Now().Add(budget)
	pause := 20 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !isBusy(err) {
			return err
		}
		wait := pause + rand.N(pause/2+1) // two runs that collided do not retry in step
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("%w for %s (%d attempts): %w", errStillLocked, budget, attempt, err)
		}
		time.Sleep(wait)
		pause = min(2*pause, time.Second)
	}
}

// SQLite's primary result codes for a database another connection holds.
const (
	sqliteBusy   = 5 // SQLITE_BUSY; extended 517 is SQLITE_BUSY_SNAPSHOT
	sqliteLocked = 6 // SQLITE_LOCKED
)

// sqliteCodeSuffix finds the result code the modernc driver puts at the end of
// its messages, e.g. "database is locked (517)" or "... (5) (SQLITE_BUSY)".
var sqliteCodeSuffix = regexp.MustCompile(`\((\d+)\)(?: \(SQLITE_[A-Z_]+\))?$`)

// isBusy reports whether err says the database was busy or locked by another
// connection or process. It asks the driver's error for its code first (the
// modernc driver's *sqlite.Error has Code() int, extended codes included)
// and falls back on the message, since layers above may flatten the error.
func isBusy(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		if c := coded.Code() & 0xff; c == sqliteBusy || c == sqliteLocked {
			return true
		}
	}
	msg := err.Error()
	for _, s := range []string{"database is locked", "database table is locked", "SQLITE_BUSY", "SQLITE_LOCKED"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	if m := sqliteCodeSuffix.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			c := n & 0xff
			return c == sqliteBusy || c == sqliteLocked
		}
	}
	return false
}
