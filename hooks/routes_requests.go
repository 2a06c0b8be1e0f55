package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// registerRoutes adds Townhall's API under /api/townhall.
func (p *Portal) registerRoutes() {
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallRoutes",
		Func: func(se *core.ServeEvent) error {
			g := se.Router.Group("/api/townhall")
			for _, kind := range p.kinds() {
				g.POST("/"+kind.collection+"/{id}/{action}", p.handleAction(kind))
				g.GET("/"+kind.collection+"/{id}/actions", p.handleAvailable(kind))
			}
			p.bindPublicRoutes(g)
			return se.Next()
		},
	})
}

// handleAction runs one action on a request: a lifecycle step, a comment,
// an assignment or (permits) a payment. It answers with the updated record.
func (p *Portal) handleAction(kind requestKind) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		actor, err := actorOf(e)
		if err != nil {
			return err
		}
		in, err := readActionInput(e, actor.Lang)
		if err != nil {
			return err
		}
		id, action := e.Request.PathValue("id"), e.Request.PathValue("action")
		var r *core.Record
		switch {
		case action == "comment":
			r, err = p.AddComment(kind, id, actor, in)
		case action == "assign":
			r, err = p.Assign(kind, id, actor, in)
		case action == "answer_rating":
			r, err = p.AnswerRating(kind, id, actor, in)
		case action == "payment" && kind.payments:
			r, err = p.recordPayment(id, actor, in)
		default:
			r, err = p.Transition(kind, id, action, actor, in)
		}
		if err != nil {
			return failure(e, actor.Lang, err)
		}
		// as the records API answers: trimmed for the caller by the enrich hooks
		if err := apis.EnrichRecord(e, r); err != nil {
			return failure(e, actor.Lang, err)
		}
		return e.JSON(http.StatusOK, r)
	}
}

// handleAvailable lists what the caller may do with a request now, so the
// sites show exactly the buttons the server will accept.
func (p *Portal) handleAvailable(kind requestKind) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		actor, err := actorOf(e)
		if err != nil {
			return err
		}
		list, left, err := p.Available(kind, e.Request.PathValue("id"), actor)
		if err != nil {
			return failure(e, actor.Lang, err)
		}
		out := map[string]any{"actions": list}
		if left != nil {
			out["before_submit"] = left
		}
		return e.JSON(http.StatusOK, out)
	}
}
