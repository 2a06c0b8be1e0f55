package hooks

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/i18n"
)

// writable lists, per collection, the fields a resident or a staff member may
// set through the records API when creating or updating a record. Everything
// else (status, numbers, deadlines, assignment, payment ...) is written by the
// server's actions only. Superusers (the dashboard) are not limited here; the
// lifecycle guards still apply to them.
type writable struct {
	residentCreate, residentUpdate, staffCreate, staffUpdate []string
}

func writePolicy(collection string) (writable, bool) {
	switch collection {
	case "permits":
		return writable{
			residentCreate: []string{"permit_type", "owner", "data", "site_address", "language", "address_picks"},
			residentUpdate: []string{"data", "site_address", "language", "address_picks"},
			staffCreate: []string{"permit_type", "owner", "applicant_name", "applicant_email", "applicant_phone",
				"language", "data", "site_address", "address_picks"},
			staffUpdate: []string{"site_address", "applicant_name", "applicant_email", "applicant_phone", "language", "address_picks"},
		}, true
	case "complaints":
		return writable{
			residentCreate: []string{"category", "reporter", "description", "description_private", "address",
				"location", "language", "answers"},
			staffCreate: []string{"category", "reporter", "caller_name", "caller_phone", "caller_email", "language",
				"source", "description", "description_private", "address", "location", "answers"},
			staffUpdate: []string{"description_private", "address", "location", "caller_name", "caller_phone",
				"caller_email", "language"},
		}, true
	case "documents":
		return writable{
			residentCreate: []string{"permit", "complaint", "owner", "kind", "file", "original_name"},
			staffCreate:    []string{"permit", "complaint", "owner", "kind", "file", "original_name", "public"},
			staffUpdate:    []string{"public"},
		}, true
	case "feedback":
		return writable{
			residentCreate: []string{"complaint", "permit", "author", "rating", "comment"},
		}, true
	}
	return writable{}, false
}

// registerGuards installs the field-level write policy, the append-only rule
// of the audit trail and a plain-language refusal for unverified residents.
func registerGuards(app core.App) {
	for _, name := range []string{"permits", "complaints", "documents", "feedback"} {
		policy, _ := writePolicy(name)
		app.OnRecordCreateRequest(name).BindFunc(func(e *core.RecordRequestEvent) error {
			if err := checkWritable(e, policy, true); err != nil {
				return err
			}
			return e.Next()
		})
		app.OnRecordUpdateRequest(name).BindFunc(func(e *core.RecordRequestEvent) error {
			if err := checkWritable(e, policy, false); err != nil {
				return err
			}
			return e.Next()
		})
	}

	// the audit trail is append-only for everyone, superusers included
	refuseEventChange := func(e *core.RecordRequestEvent) error {
		return router.NewApiError(http.StatusForbidden, requestLang(e.RequestEvent).T("events.append_only"), nil)
	}
	app.OnRecordUpdateRequest("events").BindFunc(refuseEventChange)
	app.OnRecordDeleteRequest("events").BindFunc(refuseEventChange)
	app.OnRecordUpdate("events").BindFunc(func(e *core.RecordEvent) error {
		return router.NewApiError(http.StatusForbidden, i18n.EN.T("events.append_only"), nil)
	})

	// unverified residents get a reason instead of "Failed to create record."
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "townhallVerifiedFirst",
		Func: func(se *core.ServeEvent) error {
			se.Router.BindFunc(requireVerifiedResident)
			return se.Next()
		},
	})

	// a member of staff who is deactivated loses the tokens they hold
	app.OnRecordUpdate("staff").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.Original().GetBool("active") && !e.Record.GetBool("active") {
			e.Record.RefreshTokenKey()
		}
		return e.Next()
	})

}

// requireVerifiedResident refuses, with a reason, a permit or report filed by a
// resident whose email address is not confirmed yet. The collections' create
// rules refuse it too; this only explains why.
func requireVerifiedResident(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodPost || e.Auth == nil || e.Auth.Collection().Name != "users" || e.Auth.Verified() {
		return e.Next()
	}
	p := e.Request.URL.Path
	if p == "/api/collections/permits/records" || p == "/api/collections/complaints/records" ||
		strings.HasPrefix(p, "/api/townhall/") {
		return router.NewApiError(http.StatusForbidden, requestLang(e).T("auth.verify_first"), nil)
	}
	return e.Next()
}

// checkWritable refuses a create or update that sets a field the caller's
// role may not write, naming the first such field.
func checkWritable(e *core.RecordRequestEvent, policy writable, isCreate bool) error {
	if e.Auth == nil || e.Auth.IsSuperuser() {
		return nil
	}
	var allowed []string
	switch e.Auth.Collection().Name {
	case "users":
		allowed = policy.residentUpdate
		if isCreate {
			allowed = policy.residentCreate
		}
	case "staff":
		allowed = policy.staffUpdate
		if isCreate {
			allowed = policy.staffCreate
		}
	default:
		return router.NewForbiddenError("", nil)
	}

	var blank *core.Record
	if isCreate {
		blank = core.NewRecord(e.Collection)
	} else {
		blank = e.Record.Original()
	}
	for _, f := range e.Collection.Fields {
		name := f.GetName()
		if name == "id" || f.Type() == core.FieldTypeAutodate || slices.Contains(allowed, name) {
			continue
		}
		if fmt.Sprint(e.Record.Get(name)) != fmt.Sprint(blank.Get(name)) {
			msg := requestLang(e.RequestEvent).T("field.readonly", name)
			return fieldErrors(msg, map[string]fieldError{name: {"validation_readonly", msg}})
		}
	}
	return nil
}

// requestLang is the language to answer a request in: the signed-in
// resident's choice, then ?lang=, then the browser's Accept-Language.
func requestLang(e *core.RequestEvent) i18n.Lang {
	if e.Auth != nil && e.Auth.Collection().Name == "users" {
		if l := e.Auth.GetString("language"); l != "" {
			return i18n.Parse(l)
		}
	}
	if l := e.Request.URL.Query().Get("lang"); l != "" {
		return i18n.Parse(l)
	}
	return i18n.FromAcceptLanguage(e.Request.Header.Get("Accept-Language"))
}
