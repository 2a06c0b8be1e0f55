// Package workflow holds the lifecycles of permit applications and problem
// reports: which action moves a request from which state to which, who may
// take it, and whether the resident must be told why.
package workflow

import (
	"errors"
	"slices"
)

// Actor is the kind of party taking an action.
type Actor string

// The parties of a request.
const (
	Resident Actor = "resident" // the applicant or reporter who owns the request
	Staff    Actor = "staff"    // staff of the handling department (directors: any)
	System   Actor = "system"   // scheduled jobs
)

// Transition is one action of a lifecycle.
type Transition struct {
	Action  string
	From    []string
	To      string
	Actors  []Actor
	Comment bool // a comment for the resident is required
}

// AllowedBy reports whether actor may take the transition.
func (t Transition) AllowedBy(actor Actor) bool { return slices.Contains(t.Actors, actor) }

// Machine is a lifecycle: its states and transitions, and what the states
// mean for the people around the request.
type Machine struct {
	Name     string
	Initial  string
	States   []string
	Terminal []string
	// Editable are the states in which the resident may still change the
	// request and add or remove its documents.
	Editable []string
	// Open are the states in which the request waits for the department:
	// the staff queue's default, and what escalation and the public list of
	// open reports look at.
	Open []string
	// Rateable are the states in which the resident may rate the service.
	Rateable    []string
	Transitions []Transition
}

// Refusal errors, distinguished with errors.Is.
var (
	ErrUnknownAction = errors.New("unknown action")
	ErrWrongState    = errors.New("the request is not in a state this action applies to")
	ErrWrongActor    = errors.New("this party may not take this action")
	ErrNeedsComment  = errors.New("this action needs a comment for the resident")
)

// Action returns the transition named action.
func (m Machine) Action(action string) (Transition, bool) {
	for _, t := range m.Transitions {
		if t.Action == action {
			return t, true
		}
	}
	return Transition{}, false
}

// Check reports whether actor may take action on a request in state from,
// with or without a comment, and returns the transition.
func (m Machine) Check(action, from string, actor Actor, hasComment bool) (Transition, error) {
	t, ok := m.Action(action)
	if !ok {
		return t, ErrUnknownAction
	}
	if !slices.Contains(t.From, from) {
		return t, ErrWrongState
	}
	if !t.AllowedBy(actor) {
		return t, ErrWrongActor
	}
	if t.Comment && !hasComment {
		return t, ErrNeedsComment
	}
	return t, nil
}

// Available lists the actions actor may take from state, in the machine's order.
func (m Machine) Available(from string, actor Actor) []Transition {
	var out []Transition
	for _, t := range m.Transitions {
		if slices.Contains(t.From, from) && t.AllowedBy(actor) {
			out = append(out, t)
		}
	}
	return out
}

// Leads reports whether some action moves a request from one state to another.
func (m Machine) Leads(from, to string) bool {
	for _, t := range m.Transitions {
		if t.To == to && slices.Contains(t.From, from) {
			return true
		}
	}
	return false
}

// IsTerminal reports whether no action leads out of state.
func (m Machine) IsTerminal(state string) bool { return slices.Contains(m.Terminal, state) }

// IsEditable reports whether the resident may still change a request in state.
func (m Machine) IsEditable(state string) bool { return slices.Contains(m.Editable, state) }

// IsOpen reports whether a request in state waits for the department.
func (m Machine) IsOpen(state string) bool { return slices.Contains(m.Open, state) }

// Permit is the lifecycle of a permit application:
// draft → submitted → in_review → (changes_requested → submitted …) → approved | denied →
// issued → expired, plus withdrawn by the resident before a decision.
func Permit() Machine {
	return Machine{
		Name:     "permit",
		Initial:  "draft",
		States:   []string{"draft", "submitted", "in_review", "changes_requested", "approved", "denied", "issued", "expired", "withdrawn"},
		Terminal: []string{"denied", "expired", "withdrawn"},
		Editable: []string{"draft", "changes_requested"},
		Open:     []string{"submitted", "in_review", "changes_requested", "approved"},
		Rateable: []string{"issued", "denied", "expired"},
		Transitions: []Transition{
			// staff submit on behalf of a walk-in or phone applicant
			{Action: "submit", From: []string{"draft", "changes_requested"}, To: "submitted", Actors: []Actor{Resident, Staff}},
			{Action: "start_review", From: []string{"submitted"}, To: "in_review", Actors: []Actor{Staff}},
			{Action: "request_changes", From: []string{"submitted", "in_review"}, To: "changes_requested", Actors: []Actor{Staff}, Comment: true},
			{Action: "approve", From: []string{"in_review"}, To: "approved", Actors: []Actor{Staff}},
			{Action: "deny", From: []string{"submitted", "in_review"}, To: "denied", Actors: []Actor{Staff}, Comment: true},
			{Action: "issue", From: []string{"approved"}, To: "issued", Actors: []Actor{Staff}},
			{Action: "expire", From: []string{"issued"}, To: "expired", Actors: []Actor{System}},
			{Action: "withdraw", From: []string{"draft", "submitted", "in_review", "changes_requested"}, To: "withdrawn", Actors: []Actor{Resident}},
		},
	}
}

// Complaint is the lifecycle of a problem report:
// new → acknowledged → in_progress → resolved → closed, or rejected / duplicate;
// a resolved report may be reopened by its reporter.
func Complaint() Machine {
	open := []string{"new", "acknowledged", "in_progress"}
	return Machine{
		Name:     "complaint",
		Initial:  "new",
		States:   []string{"new", "acknowledged", "in_progress", "resolved", "closed", "rejected", "duplicate"},
		Terminal: []string{"closed", "rejected", "duplicate"},
		Editable: []string{"new"},
		Open:     open,
		Rateable: []string{"resolved", "closed"},
		Transitions: []Transition{
			{Action: "acknowledge", From: []string{"new"}, To: "acknowledged", Actors: []Actor{Staff}},
			{Action: "start", From: []string{"new", "acknowledged"}, To: "in_progress", Actors: []Actor{Staff}},
			{Action: "resolve", From: []string{"acknowledged", "in_progress"}, To: "resolved", Actors: []Actor{Staff}, Comment: true},
			{Action: "close", From: []string{"resolved"}, To: "closed", Actors: []Actor{Staff, System}},
			{Action: "reopen", From: []string{"resolved"}, To: "in_progress", Actors: []Actor{Resident}},
			{Action: "reject", From: open, To: "rejected", Actors: []Actor{Staff}, Comment: true},
			{Action: "mark_duplicate", From: open, To: "duplicate", Actors: []Actor{Staff}},
		},
	}
}
