package hooks

import "github.com/pocketbase/pocketbase/core"

// Portal is the Go entry to Townhall's actions and jobs, for commands,
// seeding and tests: the same code paths the API uses.
type Portal struct{ p *portal }

// Permit takes a lifecycle action on a permit application.
func (pt *Portal) Permit(id, action string, actor Actor, comment string) (*core.Record, error) {
	return pt.p.Transition(pt.p.permitKind(), id, action, actor, actionInput{Comment: comment})
}

// Complaint takes a lifecycle action on a problem report.
func (pt *Portal) Complaint(id, action string, actor Actor, comment string) (*core.Record, error) {
	return pt.p.Transition(pt.p.complaintKind(), id, action, actor, actionInput{Comment: comment})
}

// RecordPayment records a permit fee payment.
func (pt *Portal) RecordPayment(id string, actor Actor, amount float64, method, reference string) (*core.Record, error) {
	return pt.p.RecordPayment(id, actor, actionInput{Amount: amount, Method: method, Reference: reference})
}

// SendOutbox delivers the due emails now.
func (pt *Portal) SendOutbox() (sent, failed int, err error) { return pt.p.SendOutbox() }

// ExpirePermits expires permits past their validity now.
func (pt *Portal) ExpirePermits() (int, error) { return pt.p.ExpirePermits() }

// RemindExpiringPermits sends the 30-day expiry reminders now.
func (pt *Portal) RemindExpiringPermits() (int, error) { return pt.p.RemindExpiringPermits() }

// WithApp returns the portal acting through app (e.g. a transaction), so a
// caller can group several actions atomically.
func (pt *Portal) WithApp(app core.App) *Portal {
	return &Portal{p: &portal{app: app, now: pt.p.now, uploads: pt.p.uploads}}
}

// App is the application the portal acts through.
func (pt *Portal) App() core.App { return pt.p.app }

// EscalateOverdue escalates overdue reports now (or, with dryRun, says what
// it would do).
func (pt *Portal) EscalateOverdue(dryRun bool) ([]Escalation, error) {
	return pt.p.EscalateOverdue(dryRun)
}

// CloseResolvedReports closes resolved reports past their reopen window.
func (pt *Portal) CloseResolvedReports() (int, error) { return pt.p.CloseResolvedReports() }
