package workflow

import (
	"errors"
	"slices"
	"testing"
)

func TestMachinesAreConsistent(t *testing.T) {
	for _, m := range []Machine{Permit(), Complaint()} {
		if !slices.Contains(m.States, m.Initial) {
			t.Errorf("%s: initial state %q unknown", m.Name, m.Initial)
		}
		seen := map[string]bool{}
		reachable := map[string]bool{m.Initial: true}
		for _, tr := range m.Transitions {
			if seen[tr.Action] {
				t.Errorf("%s: action %q twice", m.Name, tr.Action)
			}
			seen[tr.Action] = true
			if !slices.Contains(m.States, tr.To) {
				t.Errorf("%s/%s: unknown target %q", m.Name, tr.Action, tr.To)
			}
			for _, f := range tr.From {
				if !slices.Contains(m.States, f) {
					t.Errorf("%s/%s: unknown source %q", m.Name, tr.Action, f)
				}
				if m.IsTerminal(f) {
					t.Errorf("%s/%s: leaves terminal state %q", m.Name, tr.Action, f)
				}
			}
			if len(tr.Actors) == 0 {
				t.Errorf("%s/%s: nobody may take it", m.Name, tr.Action)
			}
		}
		// every state is reachable from the initial one
		for changed := true; changed; {
			changed = false
			for _, tr := range m.Transitions {
				for _, f := range tr.From {
					if reachable[f] && !reachable[tr.To] {
						reachable[tr.To] = true
						changed = true
					}
				}
			}
		}
		for _, s := range m.States {
			if !reachable[s] {
				t.Errorf("%s: state %q unreachable", m.Name, s)
			}
		}
		for _, s := range m.Terminal {
			if len(m.Available(s, Staff))+len(m.Available(s, Resident))+len(m.Available(s, System)) != 0 {
				t.Errorf("%s: terminal state %q has actions", m.Name, s)
			}
		}
	}
}

func TestPermitCheck(t *testing.T) {
	m := Permit()
	cases := []struct {
		action, from string
		actor        Actor
		comment      bool
		want         error
	}{
		{"submit", "draft", Resident, false, nil},
		{"submit", "changes_requested", Resident, false, nil},
		{"submit", "draft", Staff, false, nil},
		{"submit", "approved", Resident, false, ErrWrongState},
		{"submit", "draft", System, false, ErrWrongActor},
		{"start_review", "submitted", Staff, false, nil},
		{"start_review", "submitted", Resident, false, ErrWrongActor},
		{"request_changes", "in_review", Staff, false, ErrNeedsComment},
		{"request_changes", "in_review", Staff, true, nil},
		{"approve", "in_review", Staff, false, nil},
		{"approve", "submitted", Staff, false, ErrWrongState},
		{"approve", "draft", Staff, false, ErrWrongState},
		{"approve", "in_review", Resident, false, ErrWrongActor},
		{"deny", "in_review", Staff, false, ErrNeedsComment},
		{"deny", "in_review", Staff, true, nil},
		{"issue", "approved", Staff, false, nil},
		{"issue", "in_review", Staff, false, ErrWrongState},
		{"expire", "issued", System, false, nil},
		{"expire", "issued", Staff, false, ErrWrongActor},
		{"withdraw", "in_review", Resident, false, nil},
		{"withdraw", "approved", Resident, false, ErrWrongState},
		{"withdraw", "draft", Staff, false, ErrWrongActor},
		{"teleport", "draft", Staff, false, ErrUnknownAction},
	}
	for _, c := range cases {
		_, err := m.Check(c.action, c.from, c.actor, c.comment)
		if !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
			t.Errorf("%s from %s by %s: got %v, want %v", c.action, c.from, c.actor, err, c.want)
		}
	}
}

func TestComplaintCheck(t *testing.T) {
	m := Complaint()
	if _, err := m.Check("reopen", "resolved", Resident, false); err != nil {
		t.Errorf("reopen: %v", err)
	}
	if _, err := m.Check("reopen", "closed", Resident, false); !errors.Is(err, ErrWrongState) {
		t.Errorf("reopen a closed report: %v", err)
	}
	if _, err := m.Check("resolve", "in_progress", Staff, false); !errors.Is(err, ErrNeedsComment) {
		t.Errorf("resolve without a note: %v", err)
	}
	if _, err := m.Check("close", "resolved", System, false); err != nil {
		t.Errorf("system closes: %v", err)
	}
	if !m.Leads("new", "in_progress") || m.Leads("closed", "new") {
		t.Error("Leads is wrong")
	}
	got := []string{}
	for _, tr := range m.Available("new", Staff) {
		got = append(got, tr.Action)
	}
	if !slices.Equal(got, []string{"acknowledge", "start", "reject", "mark_duplicate"}) {
		t.Errorf("staff actions on a new report: %v", got)
	}
}

// TestStateGroupsAreStates: the editable, open and rateable states are
// states of the machine; open and editable ones are never terminal; the
// resident can always act (withdraw, submit, add a photo) in an editable one.
func TestStateGroupsAreStates(t *testing.T) {
	for _, m := range []Machine{Permit(), Complaint()} {
		for group, states := range map[string][]string{"editable": m.Editable, "open": m.Open, "rateable": m.Rateable} {
			if len(states) == 0 {
				t.Errorf("%s: no %s states", m.Name, group)
			}
			for _, s := range states {
				if !slices.Contains(m.States, s) {
					t.Errorf("%s: %s state %q is no state", m.Name, group, s)
				}
				if group != "rateable" && m.IsTerminal(s) {
					t.Errorf("%s: %s state %q is terminal", m.Name, group, s)
				}
			}
		}
		if !m.IsEditable(m.Initial) {
			t.Errorf("%s: a new request cannot be edited", m.Name)
		}
	}
}
