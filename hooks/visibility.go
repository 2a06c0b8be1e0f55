package hooks

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cast"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/query"
)

// What a caller may see of a record, and so what they may filter, sort and
// expand on. One table decides both: the enrich hook trims records by it,
// and the query guard refuses the fields it may take away, so a field
// hidden from someone can never be guessed through a filter either.
//
// The collections' API rules decide which records a caller reaches; a trim
// decides which fields of a reached record they see.

// trim is how records of a collection are shown to residents who reach
// them without owning them.
type trim struct {
	collection string
	// applies reports whether record r is trimmed for the resident auth.
	applies func(r, auth *core.Record) bool
	// keep are the fields shown unchanged; every other field is hidden,
	// except those alter changes.
	keep []string
	// altered are the fields alter may change or hide.
	altered []string
	alter   func(r *core.Record)
}

// followerFields are what a resident sees of a report they follow (their own
// duplicate was merged into it) but did not file: what the public list shows
// and its status, never the first reporter's identity or contact details.
var followerFields = []string{"id", "reference", "category", "department", "status", "created", "updated",
	"acknowledged_at", "resolved_at", "closed_at", "resolution_note", "reject_reason", "duplicate_of", "has_location"}

// residentTrims are the trims of records residents read.
var residentTrims = []trim{
	{
		collection: "complaints",
		applies:    func(r, auth *core.Record) bool { return r.GetString("reporter") != auth.Id },
		keep:       followerFields,
		altered:    []string{"description", "location"},
		alter: func(r *core.Record) {
			if r.GetBool("description_private") {
				r.Hide("description")
			}
			pt := r.GetGeoPoint("location")
			r.Set("location", types.GeoPoint{Lat: roundTo(pt.Lat, 3), Lon: roundTo(pt.Lon, 3)}) // as the public list
		},
	},
	{
		// another resident's words and name in a shared history (a follower
		// reading the first reporter's events)
		collection: "events",
		applies: func(r, auth *core.Record) bool {
			return r.GetString("actor_kind") == "resident" && r.GetString("actor_user") != auth.Id
		},
		keep: []string{"id", "permit", "complaint", "department", "actor_kind", "actor_staff", "action",
			"from_status", "to_status", "public", "created", "updated"},
	},
}

// registerVisibility installs the trims and the query guard.
func registerVisibility(app core.App) {
	for _, t := range residentTrims {
		app.OnRecordEnrich(t.collection).BindFunc(func(e *core.RecordEnrichEvent) error {
			info := e.RequestInfo
			if info == nil || info.Auth == nil || info.Auth.Collection().Name != "users" || !t.applies(e.Record, info.Auth) {
				return e.Next()
			}
			for _, f := range e.Record.Collection().Fields {
				if name := f.GetName(); !slices.Contains(t.keep, name) && !slices.Contains(t.altered, name) {
					e.Record.Hide(name)
				}
			}
			if t.alter != nil {
				t.alter(e.Record)
			}
			return e.Next()
		})
	}

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(guardRecordQueries)
		return se.Next()
	})
	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		if e.Auth != nil && e.Auth.IsSuperuser() {
			return e.Next()
		}
		for _, sub := range e.Subscriptions {
			if err := checkSubscription(e.App, sub, e.Auth, requestLang(e.RequestEvent)); err != nil {
				return err
			}
		}
		return e.Next()
	})
}

// queryFields are the fields of collection c that the caller auth may
// filter, sort and expand on: every field that is not hidden, minus those a
// trim may take away from them.
func queryFields(c *core.Collection, auth *core.Record) query.Fields {
	fields := query.Fields{}
	for _, f := range c.Fields {
		if f.GetHidden() {
			continue
		}
		switch f.Type() {
		case core.FieldTypeJSON:
			fields[f.GetName()] = query.JSON
		case core.FieldTypeGeoPoint:
			fields[f.GetName()] = query.Geo
		case core.FieldTypeRelation:
			fields[f.GetName()] = query.Relation
		default:
			fields[f.GetName()] = query.Plain
		}
	}
	if auth != nil && auth.Collection().Name == "users" {
		for _, t := range residentTrims {
			if t.collection != c.Name {
				continue
			}
			for name := range fields {
				if !slices.Contains(t.keep, name) {
					delete(fields, name)
				}
			}
		}
	}
	return fields
}

// queryParams are the list parameters the guard checks.
var queryParams = []string{"filter", "sort", "expand", "fields"}

// guardRecordQueries refuses, for everyone but administrators, record
// requests whose filter, sort, expand or fields reach beyond the fields the
// caller may use (see queryFields), or that cannot be parsed.
func guardRecordQueries(e *core.RequestEvent) error {
	name := e.Request.PathValue("collection")
	if name == "" || !strings.HasPrefix(e.Request.URL.Path, "/api/collections/") || (e.Auth != nil && e.Auth.IsSuperuser()) {
		return e.Next()
	}
	c, err := e.App.FindCachedCollectionByNameOrId(name)
	if err != nil {
		return e.Next() // PocketBase answers 404
	}
	q := e.Request.URL.Query()
	values := map[string]string{}
	for _, k := range queryParams {
		if len(q[k]) > 1 {
			return refuseQuery(requestLang(e))
		}
		values[k] = q.Get(k)
	}
	if err := checkQuery(c, e.Auth, values); err != nil {
		return refuseQuery(requestLang(e))
	}
	return e.Next()
}

// checkQuery checks a set of list parameters against the caller's fields.
func checkQuery(c *core.Collection, auth *core.Record, values map[string]string) error {
	return queryFields(c, auth).Check(values["filter"], values["sort"], values["expand"], values["fields"])
}

// refuseQuery is the plain-language 400 of a refused filter.
func refuseQuery(lang i18n.Lang) error {
	return router.NewBadRequestError(lang.T("filter.plain"), nil)
}

// checkSubscription applies the same limit to a realtime subscription
// ("permits/*?options={"query":{"filter":…}}"), reading its options exactly
// as PocketBase's subscriptions client does.
func checkSubscription(app core.App, sub string, auth *core.Record, lang i18n.Lang) error {
	topic, _, _ := strings.Cut(sub, "?")
	name, _, _ := strings.Cut(topic, "/")
	u, err := url.Parse(sub)
	if err != nil {
		return refuseQuery(lang)
	}
	raw := u.Query().Get("options")
	if raw == "" {
		return nil
	}
	var opts struct {
		Query map[string]any `json:"query"`
	}
	if err := json.Unmarshal([]byte(raw), &opts); err != nil {
		return refuseQuery(lang)
	}
	values := map[string]string{}
	for k, v := range opts.Query {
		values[k] = cast.ToString(v)
	}
	c, err := app.FindCachedCollectionByNameOrId(name)
	if err != nil {
		return router.NewApiError(http.StatusBadRequest, lang.T("filter.plain"), nil)
	}
	if err := checkQuery(c, auth, values); err != nil {
		return refuseQuery(lang)
	}
	return nil
}
