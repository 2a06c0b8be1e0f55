package hooks

import "github.com/pocketbase/pocketbase/core"

// Permit takes a lifecycle action on a permit application.
func (p *Portal) Permit(id, action string, actor Actor, comment string) (*core.Record, error) {
	return p.Transition(p.permitKind(), id, action, actor, actionInput{Comment: comment})
}

// Complaint takes a lifecycle action on a problem report.
func (p *Portal) Complaint(id, action string, actor Actor, comment string) (*core.Record, error) {
	return p.Transition(p.complaintKind(), id, action, actor, actionInput{Comment: comment})
}

// RecordPayment records a permit fee payment.
func (p *Portal) RecordPayment(id string, actor Actor, amount float64, method, reference string) (*core.Record, error) {
	return p.recordPayment(id, actor, actionInput{Amount: amount, Method: method, Reference: reference})
}

// WithApp returns the portal acting through app (e.g. a transaction), so a
// caller can group several actions atomically.
func (p *Portal) WithApp(app core.App) *Portal {
	c := *p
	c.app = app
	return &c
}

// App is the application the portal acts through.
func (p *Portal) App() core.App { return p.app }
