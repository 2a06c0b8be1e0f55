package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/i18n"
)

// registerDefaults fills the fields the server owns when a permit, report,
// document, event or feedback record is created, whatever the path (API,
// dashboard, Go code): department from the type or category, first status,
// fee from the permit type, language from the resident.
func (p *Portal) registerDefaults() {
	app := p.app
	app.OnRecordCreate("permits").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetString("status") == "" {
			r.Set("status", "draft")
		}
		setLanguageFromUser(e.App, r, "owner")
		lang := i18n.Parse(r.GetString("language"))
		t, err := e.App.FindRecordById("permit_types", r.GetString("permit_type"))
		if err != nil {
			return validationError("permit_type", "unknown", lang.T("permit.type_unknown"))
		}
		if !t.GetBool("active") {
			return validationError("permit_type", "inactive", lang.T("permit.type_inactive"))
		}
		r.Set("department", t.GetString("department"))
		r.Set("fee", t.GetFloat("fee"))
		return e.Next()
	})
	app.OnRecordCreate("complaints").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetString("status") == "" {
			r.Set("status", "new")
		}
		setLanguageFromUser(e.App, r, "reporter")
		lang := i18n.Parse(r.GetString("language"))
		c, err := e.App.FindRecordById("complaint_categories", r.GetString("category"))
		if err != nil {
			return validationError("category", "unknown", lang.T("report.category_unknown"))
		}
		if !c.GetBool("active") {
			return validationError("category", "inactive", lang.T("report.category_inactive"))
		}
		r.Set("department", c.GetString("department"))
		if r.GetString("source") == "" {
			r.Set("source", "web")
		}
		return e.Next()
	})
	// the town's settings are one record: it can be edited, not duplicated or removed
	app.OnRecordCreate("town_settings").BindFunc(func(e *core.RecordEvent) error {
		n, err := e.App.CountRecords("town_settings")
		if err != nil {
			return err
		}
		if n > 0 {
			return router.NewBadRequestError("The town already has its settings; edit that record instead.", nil)
		}
		return e.Next()
	})
	app.OnRecordDelete("town_settings").BindFunc(func(e *core.RecordEvent) error {
		return router.NewBadRequestError("The town settings can't be deleted; edit them instead.", nil)
	})
	// documents, events and feedback inherit the department of their parent
	for _, name := range []string{"documents", "events", "feedback"} {
		app.OnRecordCreate(name).BindFunc(func(e *core.RecordEvent) error {
			r := e.Record
			if r.GetString("department") == "" {
				if _, parent := p.parentRecord(e.App, r); parent != nil {
					r.Set("department", parent.GetString("department"))
				}
			}
			return e.Next()
		})
	}
}

// setLanguageFromUser copies the resident's preferred language onto a new
// request when none was given, so notifications go out in it.
func setLanguageFromUser(app core.App, r *core.Record, userField string) {
	if r.GetString("language") != "" {
		return
	}
	lang := "en"
	if id := r.GetString(userField); id != "" {
		if u, err := app.FindRecordById("users", id); err == nil && u.GetString("language") != "" {
			lang = u.GetString("language")
		}
	}
	r.Set("language", lang)
}
