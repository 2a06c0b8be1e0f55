package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// requestKind is one kind of request (a permit application, a problem
// report) with everything in which kinds differ, so that the shared action,
// document, history and mail code never asks which kind it holds. A third
// kind of request is one more requestKind value (and its collection).
type requestKind struct {
	machine    workflow.Machine // its lifecycle: states, actions, editable and open states
	collection string           // "permits"
	// parentField is how documents, events, feedback and outbox messages
	// point at a request of this kind ("permit").
	parentField string
	ownerField  string // the resident who filed it ("owner")
	// contactField and nameField hold the email and name staff took from a
	// caller or walk-in without an account.
	contactField, nameField string
	// hiddenFromStaff reports whether staff may not see a request yet (a
	// resident's draft application); nil: never hidden.
	hiddenFromStaff func(r *core.Record) bool
	// payments says whether fees are recorded on it.
	payments bool
	// residentEdits says whether its resident changes it (answers, address)
	// while it is in an editable state of its lifecycle.
	residentEdits bool
	// checkDocument checks (and may fill) the kind of a document attached
	// to request r; nil accepts any.
	checkDocument func(tx core.App, r, doc *core.Record, lang i18n.Lang) error
	// beforeSubmit lists what still stops request r from being submitted
	// (answers to fix, documents to upload), for the resident's page; nil
	// when the kind has no such step.
	beforeSubmit func(tx core.App, r *core.Record, lang i18n.Lang) (todo, error)
	// vars are the placeholders of its emails.
	vars func(tx core.App, r *core.Record, lang i18n.Lang) map[string]string
	// prepare checks an action's preconditions and sets the fields it
	// changes, before the record is saved (inside the transaction).
	prepare func(tx core.App, r *core.Record, c *change, in actionInput) error
	// afterSave records side effects (mail) after the save, in the transaction.
	afterSave func(tx core.App, r *core.Record, c *change) error
}

// kinds are every kind of request.
func (p *Portal) kinds() []requestKind { return []requestKind{p.permitKind(), p.complaintKind()} }

// kindOf returns the kind of request stored in collection.
func (p *Portal) kindOf(collection string) (requestKind, bool) {
	for _, k := range p.kinds() {
		if k.collection == collection {
			return k, true
		}
	}
	return requestKind{}, false
}

// parentOf returns the kind and id of the request a document, event or
// rating belongs to; n is how many parents it names (exactly one is valid).
func (p *Portal) parentOf(child *core.Record) (kind requestKind, id string, n int) {
	for _, k := range p.kinds() {
		if v := child.GetString(k.parentField); v != "" {
			kind, id, n = k, v, n+1
		}
	}
	return kind, id, n
}

// parentRecord loads the request a document, event or rating belongs to (nil
// when it names none or it is gone).
func (p *Portal) parentRecord(app core.App, child *core.Record) (requestKind, *core.Record) {
	kind, id, n := p.parentOf(child)
	if n == 0 {
		return kind, nil
	}
	r, err := app.FindRecordById(kind.collection, id)
	if err != nil {
		return kind, nil
	}
	return kind, r
}

// requester is the email of whoever filed a request: the resident's account,
// or the contact details staff took from a walk-in or caller.
func (k requestKind) requester(tx core.App, r *core.Record) string {
	if id := r.GetString(k.ownerField); id != "" {
		if u, err := tx.FindRecordById("users", id); err == nil {
			return u.Email()
		}
	}
	return r.GetString(k.contactField)
}

// requesterName is the name of whoever filed a request.
func (k requestKind) requesterName(tx core.App, r *core.Record) string {
	if id := r.GetString(k.ownerField); id != "" {
		if u, err := tx.FindRecordById("users", id); err == nil && u.GetString("name") != "" {
			return u.GetString("name")
		}
	}
	return r.GetString(k.nameField)
}

// page is the address of a request's page on the resident site, or on the
// staff console.
func (p *Portal) page(app core.App, k requestKind, r *core.Record, staff bool) string {
	path := "/request.html?kind=" + k.machine.Name + "&id=" + r.Id
	if staff {
		path = "/staff" + path
	}
	return p.siteURL(app, path)
}

// mayAttach reports whether actor may add documents to a request in state
// now: its resident while it is editable, staff until it is closed.
func (k requestKind) mayAttach(state string, actor Actor) bool {
	if actor.Kind == workflow.Resident {
		return k.machine.IsEditable(state)
	}
	return actor.Kind == workflow.Staff && !k.machine.IsTerminal(state)
}

// todo is what still stops a request from being submitted.
type todo struct {
	Answers   map[string]string `json:"answers"`   // "data.<key>": message
	Documents []string          `json:"documents"` // labels of missing documents
}
