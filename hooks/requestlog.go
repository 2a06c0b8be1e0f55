package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// The request log (dashboard → Logs) keeps every change and every failure,
// not every successful read.
//
// PocketBase writes a row to auxiliary.db for each request, in batches of
// 200, each row saved through the model hooks. Successful reads are most
// of the traffic (the public list, verification, the site's lists): at a
// thousand a second that is five batches a second of work on a small
// server's core, and it is where the long tails of the fast reads came
// from (BENCHMARKS.md, "Where the tails come from": verification p99
// 6–9 ms without them against 18–114 ms with them). Nor are those rows
// worth keeping: they name no account (logAuthId is off) and would keep the
// address of every visitor for the logs' 14 days. Writes, failed requests
// and the portal's own messages are logged as before; the audit trail of
// requests is the events collection, not this log.
func (p *Portal) registerRequestLog() {
	skip := apis.SkipSuccessActivityLog().Func
	p.app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallRequestLog",
		Func: func(se *core.ServeEvent) error {
			se.Router.Bind(&hook.Handler[*core.RequestEvent]{
				Id: "townhallRequestLog",
				Func: func(e *core.RequestEvent) error {
					if e.Request.Method == http.MethodGet || e.Request.Method == http.MethodHead {
						return skip(e)
					}
					return e.Next()
				},
			})
			return se.Next()
		},
	})
}
