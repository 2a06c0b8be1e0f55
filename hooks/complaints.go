package hooks

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// complaintKind is the problem report as a request kind.
func (p *portal) complaintKind() requestKind {
	return requestKind{
		machine:    workflow.Complaint(),
		collection: "complaints",
		ownerField: "reporter",
	}
}

// registerComplaints installs the problem-report lifecycle and gives every
// new report its reference at once (SR-2026-00017: unique, sequential per
// year, assigned inside the saving transaction).
func (p *portal) registerComplaints() {
	p.registerLifecycle(p.complaintKind())
	p.app.OnRecordCreate("complaints").BindFunc(func(e *core.RecordEvent) error {
		original := e.App
		defer func() { e.App = original }()
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			year := p.now().In(p.townLocation(tx)).Year()
			seq, err := nextSequence(tx, fmt.Sprintf("complaint:SR:%d", year))
			if err != nil {
				return err
			}
			e.Record.Set("reference", fmt.Sprintf("SR-%d-%05d", year, seq))
			return e.Next()
		})
	})
}

// canReopen reports whether a resolved report may still be reopened.
func (p *portal) canReopen(r *core.Record) bool {
	return r.GetString("status") == "resolved"
}

// complaintVars are the placeholders of a report's emails.
func (p *portal) complaintVars(tx core.App, r *core.Record, lang i18n.Lang) map[string]string {
	vars := map[string]string{
		"reference_no": r.GetString("reference"),
		"address":      r.GetString("address"),
		"link":         p.siteURL(tx, "/request.html?kind=complaint&id="+r.Id),
		"noun":         lang.Noun("complaint"),
	}
	vars["title"] = vars["reference_no"]
	return vars
}
