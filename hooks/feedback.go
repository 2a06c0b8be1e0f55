package hooks

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/workflow"
)

// registerFeedback explains refusals of a rating: once per request, and only
// when the request is resolved or closed (the collection's rules enforce
// both; this says why).
func (p *Portal) registerFeedback() {
	p.app.OnRecordCreateRequest("feedback").BindFunc(func(e *core.RecordRequestEvent) error {
		lang := requestLang(e.RequestEvent)
		kind, id, parents := p.parentOf(e.Record)
		if parents != 1 {
			return validationError(p.kinds()[len(p.kinds())-1].parentField, "one_parent", lang.T("feedback.one_parent"))
		}
		n, err := e.App.CountRecords("feedback", dbx.HashExp{kind.parentField: id})
		if err != nil {
			return err
		}
		if n > 0 {
			return apiError(409, lang.T("feedback.once"))
		}
		return e.Next()
	})
}

// ratingOf finds the rating of request r, or nil when it has none.
func ratingOf(app core.App, kind requestKind, r *core.Record) (*core.Record, error) {
	f, err := app.FindFirstRecordByFilter("feedback", kind.parentField+" = {:id}", dbx.Params{"id": r.Id})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return f, err
}

// AnswerRating lets staff of the request's department answer the resident's
// rating once: the answer is kept on the rating (answered_by, answered_at)
// and added to the request's public history, and the resident is emailed,
// as for any comment to them.
func (p *Portal) AnswerRating(kind requestKind, id string, actor Actor, in actionInput) (*core.Record, error) {
	if actor.Kind != workflow.Staff {
		return nil, apiError(http.StatusForbidden, actor.Lang.T("staff_only"))
	}
	if in.Comment == "" {
		return nil, fieldErrors(actor.Lang.T("rating.answer_empty"), map[string]fieldError{"comment": {"validation_required", actor.Lang.T("rating.answer_empty")}})
	}
	var out *core.Record
	err := p.app.RunInTransaction(func(tx core.App) error {
		r, err := p.loadForActor(tx, kind, id, actor)
		if err != nil {
			return err
		}
		f, err := ratingOf(tx, kind, r)
		if err != nil {
			return err
		}
		if f == nil {
			return refusal(actor.Lang.T("rating.none"))
		}
		if f.GetString("answered_at") != "" {
			return apiError(http.StatusConflict, actor.Lang.T("rating.answered"))
		}
		f.Set("answer", in.Comment)
		f.Set("answered_by", actor.Staff.Id)
		f.Set("answered_at", p.now().UTC())
		if err := tx.Save(f); err != nil {
			return err
		}
		ev := event{Action: "rating_answered", Comment: in.Comment, Public: true, Actor: actor, Data: map[string]any{"rating": f.GetInt("rating")}}
		if err := p.appendEvent(tx, kind, r, ev); err != nil {
			return err
		}
		if err := p.notifyComment(tx, kind, r, actor, in.Comment); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}
