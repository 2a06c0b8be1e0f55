package hooks

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// actionInput is the body of an action request.
type actionInput struct {
	Comment     string  `json:"comment"`
	Internal    bool    `json:"internal"`
	Assignee    string  `json:"assignee"`
	DuplicateOf string  `json:"duplicate_of"`
	Amount      float64 `json:"amount"`
	Method      string  `json:"method"`
	Reference   string  `json:"reference"`
	// ID is a comment's id chosen by the page, so that sending it again
	// after a lost answer never adds it twice
	ID string `json:"id"`
}

const maxCommentLength = 5000

// readActionInput decodes an action's optional JSON body.
func readActionInput(e *core.RequestEvent, lang i18n.Lang) (actionInput, error) {
	var in actionInput
	if e.Request.ContentLength == 0 {
		return in, nil
	}
	raw, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, 64<<10))
	if err != nil {
		return in, refusal(lang.T("body.invalid"))
	}
	// the body stays readable for PocketBase (request info, enrich hooks)
	e.Request.Body = io.NopCloser(bytes.NewReader(raw))
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&in); err != nil && !errors.Is(err, io.EOF) {
		return in, refusal(lang.T("body.invalid"))
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(in.Comment) > maxCommentLength {
		return in, refusal(lang.T("comment.too_long"))
	}
	return in, nil
}

// loadForActor finds a request the actor may act on: its owner, staff of its
// department (directors: all) or the system. Others get a 404 (residents, and
// staff for a resident's draft) or a 403 naming the reason (staff of another
// department).
func (p *Portal) loadForActor(tx core.App, kind requestKind, id string, actor Actor) (*core.Record, error) {
	r, err := tx.FindRecordById(kind.collection, id)
	if err != nil {
		return nil, apiError(http.StatusNotFound, actor.Lang.T(kind.machine.Name+".not_found"))
	}
	switch actor.Kind {
	case workflow.System:
		return r, nil
	case workflow.Resident:
		if actor.IsResident(r.GetString(kind.ownerField)) {
			return r, nil
		}
		return nil, apiError(http.StatusNotFound, actor.Lang.T(kind.machine.Name+".not_found"))
	case workflow.Staff:
		if actor.Superuser == nil && kind.hiddenFromStaff != nil && kind.hiddenFromStaff(r) {
			return nil, apiError(http.StatusNotFound, actor.Lang.T(kind.machine.Name+".not_found"))
		}
		if actor.CanWorkOn(r.GetString("department")) {
			return r, nil
		}
		return nil, apiError(http.StatusForbidden, actor.Lang.T(kind.machine.Name+".other_department"))
	}
	return nil, apiError(http.StatusForbidden, "")
}

// Transition takes a lifecycle action on a request: it checks state and
// actor, applies the action's effects, saves, appends the audit event and
// queues the notifications, all in one transaction.
func (p *Portal) Transition(kind requestKind, id, action string, actor Actor, in actionInput) (*core.Record, error) {
	var out *core.Record
	err := p.app.RunInTransaction(func(tx core.App) error {
		r, err := p.loadForActor(tx, kind, id, actor)
		if err != nil {
			return err
		}
		from := r.GetString("status")
		t, err := kind.machine.Check(action, from, actor.Kind, in.Comment != "")
		if err != nil {
			return transitionError(kind.machine, t, from, action, actor.Lang, err)
		}
		c := &change{RecordID: r.Id, Action: action, From: from, To: t.To, Comment: in.Comment, Actor: actor}
		if kind.prepare != nil {
			if err := kind.prepare(tx, r, c, in); err != nil {
				return err
			}
		}
		r.Set("status", t.To)
		p.stamp(r, false)
		if err := tx.SaveWithContext(withChange(context.Background(), c), r); err != nil {
			return err
		}
		if err := p.appendEvent(tx, kind, r, event{Action: action, From: from, To: t.To, Comment: in.Comment, Public: true, Actor: actor}); err != nil {
			return err
		}
		if kind.afterSave != nil {
			if err := kind.afterSave(tx, r, c); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	return out, err
}

// event is one entry of a request's history.
type event struct {
	ID                        string // "": a new random id
	Action, From, To, Comment string
	Public                    bool
	Actor                     Actor
	Data                      map[string]any
}

// appendEvent writes an audit event about record r.
func (p *Portal) appendEvent(tx core.App, kind requestKind, r *core.Record, ev event) error {
	col, err := tx.FindCachedCollectionByNameOrId("events")
	if err != nil {
		return err
	}
	rec := core.NewRecord(col)
	if ev.ID != "" {
		rec.Id = ev.ID
	}
	rec.Set(kind.parentField, r.Id)
	rec.Set("department", r.GetString("department"))
	rec.Set("actor_kind", ev.Actor.eventKind())
	if ev.Actor.User != nil {
		rec.Set("actor_user", ev.Actor.User.Id)
	}
	if ev.Actor.Staff != nil {
		rec.Set("actor_staff", ev.Actor.Staff.Id)
	}
	rec.Set("actor_name", ev.Actor.Name())
	rec.Set("action", ev.Action)
	rec.Set("from_status", ev.From)
	rec.Set("to_status", ev.To)
	rec.Set("comment", ev.Comment)
	rec.Set("public", ev.Public)
	if ev.Data != nil {
		rec.Set("data", ev.Data)
	}
	p.stamp(rec, true)
	return tx.Save(rec)
}

// registerLifecycle makes every save of kind's collection obey its
// lifecycle: new records start in the initial state, and the status changes
// only through an action (carried in the save's context) that the current
// state and the actor allow. This holds for the API, the dashboard and Go code.
func (p *Portal) registerLifecycle(kind requestKind) {
	m := kind.machine
	p.app.OnRecordCreate(kind.collection).BindFunc(func(e *core.RecordEvent) error {
		lang := i18n.Parse(e.Record.GetString("language"))
		if s := e.Record.GetString("status"); s != m.Initial {
			return validationError("status", "initial_state", lang.T("status.must_start", lang.Noun(m.Name), lang.State(m.Name, m.Initial)))
		}
		return e.Next()
	})
	p.app.OnRecordUpdate(kind.collection).BindFunc(func(e *core.RecordEvent) error {
		from := e.Record.Original().GetString("status")
		to := e.Record.GetString("status")
		if from == to {
			return e.Next()
		}
		lang := i18n.Parse(e.Record.GetString("language"))
		c := changeFrom(e.Context)
		if c == nil || c.RecordID != e.Record.Id || c.From != from || c.To != to {
			return validationError("status", "use_actions", lang.T("status.use_actions"))
		}
		if c.Actor.Lang != "" {
			lang = c.Actor.Lang
		}
		t, err := m.Check(c.Action, from, c.Actor.Kind, c.Comment != "")
		if err == nil && t.To != to {
			err = workflow.ErrWrongState
		}
		if err != nil {
			return transitionError(m, t, from, c.Action, lang, err)
		}
		return e.Next()
	})
}

// AddComment adds a comment to a request's history: residents' comments and
// staff comments to the resident are public; staff notes marked internal are
// seen by staff only.
func (p *Portal) AddComment(kind requestKind, id string, actor Actor, in actionInput) (*core.Record, error) {
	if in.Comment == "" {
		return nil, fieldErrors(actor.Lang.T("comment.empty"), map[string]fieldError{"comment": {"validation_required", actor.Lang.T("comment.empty")}})
	}
	var out *core.Record
	err := p.app.RunInTransaction(func(tx core.App) error {
		r, err := p.loadForActor(tx, kind, id, actor)
		if err != nil {
			return err
		}
		if actor.Kind == workflow.Resident && kind.machine.IsTerminal(r.GetString("status")) {
			return refusal(actor.Lang.T("comment.closed"))
		}
		if in.ID != "" {
			// sent again after a lost answer: it is already there
			if sent, err := sentComment(tx, kind, r, actor, in); err != nil || sent {
				out = r
				return err
			}
		}
		internal := in.Internal && actor.Kind == workflow.Staff
		action := "comment"
		if internal {
			action = "note"
		}
		ev := event{ID: in.ID, Action: action, Comment: in.Comment, Public: !internal, Actor: actor}
		if err := p.appendEvent(tx, kind, r, ev); err != nil {
			return err
		}
		if !internal {
			if err := p.notifyComment(tx, kind, r, actor, in.Comment); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	return out, err
}

// commentID is the shape of an id a page may choose for its comment.
var commentID = regexp.MustCompile(`^[a-z0-9]{15}$`)

// sentComment reports whether the comment with the page's id in.ID is
// already in r's history from the same caller (sent before, its answer
// lost); an id that is not an id, or taken by anything else, is refused.
func sentComment(tx core.App, kind requestKind, r *core.Record, actor Actor, in actionInput) (bool, error) {
	if !commentID.MatchString(in.ID) {
		return false, validationError("id", "invalid", actor.Lang.T("comment.id"))
	}
	ev, err := tx.FindRecordById("events", in.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	same := ev.GetString(kind.parentField) == r.Id && ev.GetString("comment") == in.Comment &&
		((actor.User != nil && ev.GetString("actor_user") == actor.User.Id) || (actor.Staff != nil && ev.GetString("actor_staff") == actor.Staff.Id))
	if !same {
		return false, validationError("id", "taken", actor.Lang.T("comment.id"))
	}
	return true, nil
}

// Assign gives a request to a colleague of its department (or to nobody).
func (p *Portal) Assign(kind requestKind, id string, actor Actor, in actionInput) (*core.Record, error) {
	if actor.Kind != workflow.Staff {
		return nil, apiError(http.StatusForbidden, actor.Lang.T("staff_only"))
	}
	var out *core.Record
	err := p.app.RunInTransaction(func(tx core.App) error {
		r, err := p.loadForActor(tx, kind, id, actor)
		if err != nil {
			return err
		}
		name := ""
		if in.Assignee != "" {
			s, err := tx.FindRecordById("staff", in.Assignee)
			if err != nil || !s.GetBool("active") ||
				(s.GetString("department") != r.GetString("department") && s.GetString("role") != "director") {
				return fieldErrors(actor.Lang.T("assign.not_colleague"), map[string]fieldError{"assignee": {"validation_not_colleague", actor.Lang.T("assign.not_colleague")}})
			}
			name = s.GetString("name")
		}
		previous := r.GetString("assignee")
		if previous == in.Assignee {
			out = r
			return nil
		}
		r.Set("assignee", in.Assignee)
		if err := tx.Save(r); err != nil {
			return err
		}
		ev := event{Action: "assigned", Public: false, Actor: actor,
			Data: map[string]any{"assignee": in.Assignee, "assignee_name": name, "previous": previous}}
		if err := p.appendEvent(tx, kind, r, ev); err != nil {
			return err
		}
		if in.Assignee != "" && (actor.Staff == nil || actor.Staff.Id != in.Assignee) {
			if err := p.notifyAssignee(tx, kind, r, in.Assignee); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	return out, err
}

// availableAction is one thing the caller may do now, for the sites' buttons:
// a lifecycle action, or comment, assign, payment, edit (change the answers),
// upload (add documents) and rate.
type availableAction struct {
	Action       string `json:"action"`
	To           string `json:"to,omitempty"`
	NeedsComment bool   `json:"needs_comment"`
}

// Available lists what actor may do with a request now: lifecycle actions
// plus comment, assign and payment where they apply; and, when the request
// can be submitted, what submission would still refuse.
func (p *Portal) Available(kind requestKind, id string, actor Actor) ([]availableAction, *todo, error) {
	r, err := p.loadForActor(p.app, kind, id, actor)
	if err != nil {
		return nil, nil, err
	}
	status := r.GetString("status")
	out := []availableAction{}
	for _, t := range kind.machine.Available(status, actor.Kind) {
		if t.Action == "reopen" && !p.canReopen(r) {
			continue
		}
		out = append(out, availableAction{Action: t.Action, To: t.To, NeedsComment: t.Comment})
	}
	if actor.Kind == workflow.Staff || !kind.machine.IsTerminal(status) {
		out = append(out, availableAction{Action: "comment"})
	}
	if kind.residentEdits && actor.Kind == workflow.Resident && kind.machine.IsEditable(status) {
		out = append(out, availableAction{Action: "edit"})
	}
	if kind.mayAttach(status, actor) {
		out = append(out, availableAction{Action: "upload"})
	}
	if actor.Kind == workflow.Resident && slices.Contains(kind.machine.Rateable, status) {
		rated, err := p.app.CountRecords("feedback", dbx.HashExp{kind.parentField: r.Id})
		if err != nil {
			return nil, nil, err
		}
		if rated == 0 {
			out = append(out, availableAction{Action: "rate"})
		}
	}
	if actor.Kind == workflow.Staff {
		out = append(out, availableAction{Action: "assign"})
		if f, err := ratingOf(p.app, kind, r); err != nil {
			return nil, nil, err
		} else if f != nil && f.GetString("answered_at") == "" {
			out = append(out, availableAction{Action: "answer_rating"})
		}
		if kind.payments && p.canRecordPayment(r) {
			out = append(out, availableAction{Action: "payment"})
		}
	}
	var left *todo
	if kind.beforeSubmit != nil && slices.ContainsFunc(out, func(a availableAction) bool { return a.Action == "submit" }) {
		t, err := kind.beforeSubmit(p.app, r, actor.Lang)
		if err != nil {
			return nil, nil, err
		}
		left = &t
	}
	return out, left, nil
}
