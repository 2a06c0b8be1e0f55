package hooks

import (
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
)

// A resident's lists through the records API, fast at county scale.
//
// The list rules of the request collections are one rule for everyone: the
// resident's branch OR'ed with the staff's, and a follower test that joins
// every report's followers. SQLite can use no index for such a WHERE, so a
// resident listing "their" reports read all 100,000. For residents, the
// list is answered here instead, by PocketBase's own search machinery (the
// same filter, sort, paging, skipTotal, expand, fields and enrich hooks)
// over a scope that says exactly what the rule's resident branch says, as
// SQL that starts from an index: their own rows by owner, the reports they
// follow through townhall_follows. TestResidentListsAnswerAsTheRulesDo
// checks that both give the same answers; TestResidentListPlansUseIndexes
// that the scopes stay indexed. Views, realtime and everyone else keep the
// rules.

// residentScope is the resident's branch of a collection's list rule, as
// indexed SQL, for the resident me.
func residentScope(collection, me string) (dbx.Expression, bool) {
	p := dbx.Params{"me": me}
	switch collection {
	case "users":
		return dbx.NewExp("[[users.id]] = {:me}", p), true
	case "permits":
		return dbx.NewExp("[[permits.owner]] = {:me}", p), true
	case "documents":
		return dbx.NewExp("[[documents.owner]] = {:me}", p), true
	case "feedback":
		return dbx.NewExp("[[feedback.author]] = {:me}", p), true
	case "complaints":
		return dbx.NewExp(`[[complaints.rowid]] IN (
			SELECT rowid FROM complaints WHERE reporter = {:me}
			UNION ALL
			SELECT c.rowid FROM townhall_follows f JOIN complaints c ON c.id = f.complaint WHERE f.user = {:me})`, p), true
	case "events":
		// the public history of their own requests; of a report they
		// follow, its status changes only
		return dbx.NewExp(`[[events.rowid]] IN (
			SELECT e.rowid FROM permits p JOIN events e ON e.permit = p.id WHERE p.owner = {:me} AND e.public = TRUE
			UNION ALL
			SELECT e.rowid FROM complaints c JOIN events e ON e.complaint = c.id WHERE c.reporter = {:me} AND e.public = TRUE
			UNION ALL
			SELECT e.rowid FROM townhall_follows f JOIN events e ON e.complaint = f.complaint
				WHERE f.user = {:me} AND e.public = TRUE AND e.to_status != '')`, p), true
	}
	return nil, false
}

// residentLists answers a resident's list of a collection that has a scope;
// other requests pass on.
func (p *Portal) residentLists(e *core.RequestEvent) error {
	name := e.Request.PathValue("collection")
	if !p.fastLists || e.Request.Method != http.MethodGet || e.Auth == nil || e.Auth.Collection().Name != "users" ||
		e.Request.URL.Path != "/api/collections/"+name+"/records" {
		return e.Next()
	}
	c, err := e.App.FindCachedCollectionByNameOrId(name)
	if err != nil {
		return e.Next()
	}
	scope, ok := residentScope(c.Name, e.Auth.Id)
	if !ok || c.ListRule == nil {
		return e.Next()
	}
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("", err)
	}
	// as PocketBase's list handler does, with the scope for the rule
	resolver := core.NewRecordFieldResolver(e.App, c, info, true)
	resolver.SetAllowHiddenFields(false)
	query := e.App.RecordQuery(c).AndWhere(scope)
	provider := search.NewProvider(resolver).Query(query).CountCol("_rowid_")
	records := []*core.Record{}
	result, err := provider.ParseAndExec(e.Request.URL.Query().Encode(), &records)
	if err != nil {
		return e.BadRequestError("", err)
	}
	event := new(core.RecordsListRequestEvent)
	event.RequestEvent = e
	event.Collection = c
	event.Records = records
	event.Result = result
	return e.App.OnRecordsListRequest().Trigger(event, func(e *core.RecordsListRequestEvent) error {
		if err := apis.EnrichRecords(e.RequestEvent, e.Records); err != nil {
			return e.InternalServerError("", err)
		}
		return e.JSON(http.StatusOK, e.Result)
	})
}

// registerResidentLists installs the fast path (after the query guard) and
// keeps the follows table in step.
func (p *Portal) registerResidentLists() {
	p.fastLists = true
	p.app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(p.residentLists)
		return se.Next()
	})
	p.registerFollows()
}

// registerFollows keeps townhall_follows equal to the reports' followers,
// in the transaction of every save.
func (p *Portal) registerFollows() {
	sync := func(e *core.RecordEvent) error {
		followers := e.Record.GetStringSlice("followers")
		changed := e.Record.IsNew() || !slices.Equal(followers, e.Record.Original().GetStringSlice("followers"))
		if err := e.Next(); err != nil || !changed {
			return err
		}
		return syncFollows(e.App, e.Record.Id, followers)
	}
	p.app.OnRecordCreateExecute("complaints").BindFunc(sync)
	p.app.OnRecordUpdateExecute("complaints").BindFunc(sync)
	p.app.OnRecordDeleteExecute("complaints").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return syncFollows(e.App, e.Record.Id, nil)
	})
}

// syncFollows makes the follows of a report exactly users.
func syncFollows(app core.App, complaint string, users []string) error {
	if _, err := app.DB().NewQuery("DELETE FROM townhall_follows WHERE complaint = {:c}").
		Bind(dbx.Params{"c": complaint}).Execute(); err != nil {
		return err
	}
	for _, u := range users {
		if u == "" {
			continue
		}
		if _, err := app.DB().NewQuery("INSERT OR IGNORE INTO townhall_follows (user, complaint) VALUES ({:u}, {:c})").
			Bind(dbx.Params{"u": u, "c": complaint}).Execute(); err != nil {
			return err
		}
	}
	return nil
}
