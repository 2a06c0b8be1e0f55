package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
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
