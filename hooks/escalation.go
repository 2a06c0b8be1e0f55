package hooks

import (
	"errors"
	"fmt"
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
	Err         error    // a bad record that was skipped
}

// String is the line `townhall escalate` prints.
func (x Escalation) String() string {
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
	err := p.app.DB().Select("id", "reference").From("complaints").
		AndWhere(dbx.NewExp("next_escalation_at != '' AND next_escalation_at <= {:now}", dbx.Params{"now": nowDT.String()})).
		OrderBy("next_escalation_at ASC").Limit(escalationBatch).All(&due)
	if err != nil {
		return nil, err
	}
	var out []Escalation
	for _, d := range due {
		x, ok := p.escalateOne(d.ID, now, dryRun)
		if !ok {
			continue
		}
		if x.Reference == "" {
			x.Reference = d.Reference
		}
		if x.Err != nil {
			p.app.Logger().Error("escalating a report failed; skipped", "complaint", d.ID, "error", x.Err)
		}
		out = append(out, x)
	}
	return out, nil
}

// escalateOne escalates one report if it is (still) due; ok is false when
// another run got there first.
func (p *Portal) escalateOne(id string, now time.Time, dryRun bool) (x Escalation, ok bool) {
	x.ComplaintID = id
	defer func() {
		if r := recover(); r != nil {
			x, ok = Escalation{ComplaintID: id, Err: fmt.Errorf("panic: %v", r)}, true
		}
	}()
	err := p.app.RunInTransaction(func(tx core.App) error {
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
		return p.notifyEscalation(tx, r, x, t.Calendar.Location())
	})
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

// Sentinel errors that roll an escalation's transaction back without a
// failure (compare with errors.Is).
var (
	errAlreadyDone = errors.New("already escalated")
	errDryRun      = errors.New("dry run")
)
