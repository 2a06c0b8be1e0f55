package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// registerFeedback explains refusals of a rating: once per request, and only
// when the request is resolved or closed (the collection's rules enforce
// both; this says why).
func (p *portal) registerFeedback() {
	p.app.OnRecordCreateRequest("feedback").BindFunc(func(e *core.RecordRequestEvent) error {
		lang := requestLang(e.RequestEvent)
		if (e.Record.GetString("complaint") == "") == (e.Record.GetString("permit") == "") {
			return validationError("complaint", "one_parent", lang.T("feedback.one_parent"))
		}
		for _, parent := range []string{"complaint", "permit"} {
			id := e.Record.GetString(parent)
			if id == "" {
				continue
			}
			n, err := e.App.CountRecords("feedback", dbx.HashExp{parent: id})
			if err != nil {
				return err
			}
			if n > 0 {
				return apiError(409, lang.T("feedback.once"))
			}
		}
		return e.Next()
	})
}
