package hooks

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/townhall-portal/townhall/internal/forms"
	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// permitKind is the permit application as a request kind.
func (p *Portal) permitKind() requestKind {
	return requestKind{
		machine:       workflow.Permit(),
		collection:    "permits",
		parentField:   "permit",
		ownerField:    "owner",
		contactField:  "applicant_email",
		nameField:     "applicant_name",
		payments:      true,
		residentEdits: true,
		vars:          p.permitVars,
		beforeSubmit:  permitTodo,
		// a document names one of the permit type's documents, or "other"
		checkDocument: checkPermitDocument,
		// a resident's application is theirs until they submit it; what staff
		// started at the counter is staff's from the start
		hiddenFromStaff: func(r *core.Record) bool {
			return r.GetString("status") == "draft" && r.GetString("created_by") == ""
		},
		prepare:   p.preparePermitAction,
		afterSave: p.notifyPermitChange,
	}
}

// registerPermits installs the permit lifecycle, the validation of form
// definitions and answers, and the permit routes.
func (p *Portal) registerPermits() {
	kind := p.permitKind()
	p.registerLifecycle(kind)

	// a permit type's form and document list are checked when an administrator saves it
	checkType := func(e *core.RecordEvent) error {
		if _, err := forms.ParseFields([]byte(e.Record.GetString("fields"))); err != nil {
			return validationError("fields", "definition", "The form definition is broken: "+err.Error())
		}
		if _, err := forms.ParseDocuments([]byte(e.Record.GetString("required_documents"))); err != nil {
			return validationError("required_documents", "definition", "The document list is broken: "+err.Error())
		}
		return e.Next()
	}
	p.app.OnRecordCreate("permit_types").BindFunc(checkType)
	p.app.OnRecordUpdate("permit_types").BindFunc(checkType)

	// answers are checked against the type's form on every save (required
	// answers only on submission)
	checkAnswers := func(e *core.RecordEvent) error {
		if !e.Record.IsNew() && e.Record.GetString("data") == e.Record.Original().GetString("data") {
			return e.Next()
		}
		clean, errs, err := validateAnswers(e.App, e.Record, forms.Draft)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return answersError(errs, i18n.Parse(e.Record.GetString("language")))
		}
		e.Record.Set("data", clean)
		return e.Next()
	}
	p.app.OnRecordCreate("permits").BindFunc(checkAnswers)
	// staff filing for a walk-in or caller are recorded as the application's creator
	p.app.OnRecordCreateRequest("permits").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Auth != nil && e.Auth.Collection().Name == "staff" {
			e.Record.Set("created_by", e.Auth.Id)
		}
		return e.Next()
	})
	p.app.OnRecordUpdate("permits").BindFunc(checkAnswers)
}

// permitTodo is what submission would still refuse: answers out of range
// or missing, and required documents not uploaded.
func permitTodo(tx core.App, r *core.Record, lang i18n.Lang) (todo, error) {
	out := todo{Answers: map[string]string{}, Documents: []string{}}
	_, errs, err := validateAnswers(tx, r, forms.Submit)
	if err != nil {
		return out, err
	}
	for k, msg := range errs {
		out.Answers["data."+k] = msg
	}
	t, err := tx.FindRecordById("permit_types", r.GetString("permit_type"))
	if err != nil {
		return out, err
	}
	missing, err := missingDocuments(tx, r, t, lang)
	if missing != nil {
		out.Documents = missing
	}
	return out, err
}

// checkPermitDocument refuses a document whose kind is not one of the
// permit type's documents (or "other").
func checkPermitDocument(tx core.App, r, doc *core.Record, lang i18n.Lang) error {
	t, err := tx.FindRecordById("permit_types", r.GetString("permit_type"))
	if err != nil {
		return err
	}
	docs, _ := forms.ParseDocuments([]byte(t.GetString("required_documents")))
	keys := []string{"other"}
	for _, d := range docs {
		keys = append(keys, d.Key)
	}
	if !slices.Contains(keys, strings.TrimSpace(doc.GetString("kind"))) {
		return validationError("kind", "unknown", lang.T("document.kind"))
	}
	return nil
}

// validateAnswers checks a permit's answers against its type's form.
func validateAnswers(app core.App, r *core.Record, mode forms.Mode) (map[string]any, forms.Errors, error) {
	lang := i18n.Parse(r.GetString("language"))
	t, err := app.FindRecordById("permit_types", r.GetString("permit_type"))
	if err != nil {
		return nil, nil, validationError("permit_type", "unknown", lang.T("permit.type_unknown"))
	}
	fields, err := forms.ParseFields([]byte(t.GetString("fields")))
	if err != nil {
		return nil, nil, router.NewInternalServerError("The form of this permit type is broken; the administrator must fix it.", err)
	}
	answers := map[string]any{}
	if raw := strings.TrimSpace(r.GetString("data")); raw != "" && raw != "null" {
		if err := r.UnmarshalJSONField("data", &answers); err != nil {
			return nil, nil, validationError("data", "invalid", lang.T("permit.answers_not_object"))
		}
	}
	clean, errs := forms.Validate(fields, answers, r.GetString("language"), mode)
	return clean, errs, nil
}

// answersError is a 400 with one message per answer, keyed "data.<field>".
func answersError(errs forms.Errors, lang i18n.Lang) error {
	fields := map[string]fieldError{}
	for k, msg := range errs {
		fields["data."+k] = fieldError{"validation_answer", msg}
	}
	return fieldErrors(lang.T("permit.answers_invalid"), fields)
}

// preparePermitAction checks what each action needs and sets its fields.
func (p *Portal) preparePermitAction(tx core.App, r *core.Record, c *change, in actionInput) error {
	now := p.now().UTC()
	lang := c.Actor.Lang
	switch c.Action {
	case "submit":
		// staff submit what was filed at the counter or by phone, not a resident's own draft
		if c.Actor.Kind == workflow.Staff && r.GetString("created_by") == "" && r.GetString("owner") != "" {
			return apiError(http.StatusForbidden, lang.T("permit.staff_submit"))
		}
		t, err := tx.FindRecordById("permit_types", r.GetString("permit_type"))
		if err != nil || !t.GetBool("active") {
			return refusal(lang.T("permit.type_inactive"))
		}
		clean, errs, err := validateAnswers(tx, r, forms.Submit)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return answersError(errs, lang)
		}
		r.Set("data", clean)
		if missing, err := missingDocuments(tx, r, t, lang); err != nil {
			return err
		} else if len(missing) > 0 {
			msg := lang.T("permit.missing_documents", joinList(missing, lang))
			return fieldErrors(msg, map[string]fieldError{"documents": {"validation_missing_documents", msg}})
		}
		// the reference residents quote from now on; a resubmission keeps it
		if r.GetString("reference") == "" {
			year := now.In(p.townLocation(tx)).Year()
			seq, err := nextSequence(tx, fmt.Sprintf("application:APP:%d", year))
			if err != nil {
				return err
			}
			r.Set("reference", fmt.Sprintf("APP-%d-%05d", year, seq))
		}
		r.Set("submitted_at", now)
		// the promised turnaround is in business days of the town's calendar
		if days := t.GetInt("turnaround_days"); days > 0 {
			r.Set("review_due_at", p.townSettings(tx).Calendar.AddBusinessDays(now, days))
		}
	case "approve", "deny":
		r.Set("decided_at", now)
	case "issue":
		if fee := r.GetFloat("fee"); fee > 0 && r.GetString("paid_at") == "" {
			return apiError(http.StatusConflict, lang.T("permit.fee_unpaid", money(fee)))
		}
		t, err := tx.FindRecordById("permit_types", r.GetString("permit_type"))
		if err != nil {
			return err
		}
		loc := p.townLocation(tx)
		local := now.In(loc)
		seq, err := nextSequence(tx, fmt.Sprintf("permit:%s:%d", t.GetString("code"), local.Year()))
		if err != nil {
			return err
		}
		r.Set("number", fmt.Sprintf("%s-%d-%05d", t.GetString("code"), local.Year(), seq))
		r.Set("issued_at", now)
		if days := t.GetInt("validity_days"); days > 0 {
			y, m, d := local.Date()
			end := time.Date(y, m, d+days, 23, 59, 59, 0, loc)
			r.Set("expires_at", end.UTC())
		}
	}
	return nil
}

// missingDocuments lists the labels of required documents not uploaded yet.
func missingDocuments(tx core.App, r, permitType *core.Record, lang i18n.Lang) ([]string, error) {
	docs, err := forms.ParseDocuments([]byte(permitType.GetString("required_documents")))
	if err != nil {
		return nil, router.NewInternalServerError("The document list of this permit type is broken.", err)
	}
	var missing []string
	for _, d := range docs {
		if d.Optional {
			continue
		}
		n, err := tx.CountRecords("documents", dbx.HashExp{"permit": r.Id, "kind": d.Key})
		if err != nil {
			return nil, err
		}
		if n == 0 {
			missing = append(missing, lowerFirst(d.Label.In(string(lang))))
		}
	}
	return missing, nil
}

// lowerFirst lower-cases the first letter, to put a label inside a sentence.
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// joinList joins "a", "b" and "c" as "a, b and c" (Spanish "y").
func joinList(items []string, lang i18n.Lang) string {
	and := " and "
	if lang == i18n.ES {
		and = " y "
	}
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + and + items[len(items)-1]
}

// money formats dollars: $150.00.
func money(v float64) string { return fmt.Sprintf("$%.2f", v) }

// nextSequence returns the next number of a named counter, inside the
// caller's transaction: numbers are unique and without gaps.
func nextSequence(tx core.App, key string) (int, error) {
	var v int
	err := tx.DB().NewQuery(`INSERT INTO townhall_counters (key, value) VALUES ({:key}, 1)
		ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value`).
		Bind(dbx.Params{"key": key}).Row(&v)
	return v, err
}

// canRecordPayment reports whether a permit has a fee still to pay.
func (p *Portal) canRecordPayment(r *core.Record) bool {
	return r.GetFloat("fee") > 0 && r.GetString("paid_at") == "" &&
		r.GetString("status") == "approved" // residents are told they pay after approval
}

// recordPayment records that a permit's fee was paid (or waived).
func (p *Portal) recordPayment(id string, actor Actor, in actionInput) (*core.Record, error) {
	lang := actor.Lang
	if actor.Kind != workflow.Staff {
		return nil, apiError(http.StatusForbidden, lang.T("staff_only"))
	}
	var out *core.Record
	err := p.app.RunInTransaction(func(tx core.App) error {
		r, err := p.loadForActor(tx, p.permitKind(), id, actor)
		if err != nil {
			return err
		}
		fee := r.GetFloat("fee")
		switch {
		case fee <= 0:
			return refusal(lang.T("permit.no_fee"))
		case r.GetString("paid_at") != "":
			return apiError(http.StatusConflict, lang.T("permit.already_paid"))
		case !p.canRecordPayment(r):
			return apiError(http.StatusConflict, lang.T("permit.payment_state"))
		}
		method := strings.TrimSpace(in.Method)
		field := func(name, msg string) error {
			return fieldErrors(msg, map[string]fieldError{name: {"validation_invalid", msg}})
		}
		switch method {
		case "cash", "check", "card", "transfer":
			if in.Amount < fee {
				return field("amount", lang.T("payment.amount", money(fee)))
			}
		case "waived":
			if actor.Superuser == nil && actor.Staff.GetString("role") == "clerk" {
				return apiError(http.StatusForbidden, lang.T("payment.waive_role"))
			}
			in.Amount = 0
		default:
			return field("method", lang.T("payment.method"))
		}
		if len(in.Reference) > 120 {
			in.Reference = in.Reference[:120]
		}
		now := p.now().UTC()
		r.Set("paid_amount", in.Amount)
		r.Set("payment_method", method)
		r.Set("payment_reference", strings.TrimSpace(in.Reference))
		if actor.Staff != nil {
			r.Set("paid_by", actor.Staff.Id)
		}
		r.Set("paid_at", now)
		if err := tx.Save(r); err != nil {
			return err
		}
		ev := event{Action: "payment", Public: true, Actor: actor, Comment: in.Comment,
			Data: map[string]any{"amount": in.Amount, "method": method, "reference": in.Reference}}
		if err := p.appendEvent(tx, p.permitKind(), r, ev); err != nil {
			return err
		}
		if err := p.notifyPayment(tx, r); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// ExpirePermits expires issued permits whose validity has ended. Each permit
// is its own transaction; a bad record is logged and skipped.
func (p *Portal) ExpirePermits() (int, error) {
	now := types.NowDateTime()
	if t, err := types.ParseDateTime(p.now().UTC()); err == nil {
		now = t
	}
	var ids []string
	err := p.app.DB().Select("id").From("permits").
		Where(dbx.HashExp{"status": "issued"}).
		AndWhere(dbx.NewExp("expires_at != '' AND expires_at <= {:now}", dbx.Params{"now": now.String()})).
		Column(&ids)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, id := range ids {
		if _, err := p.Transition(p.permitKind(), id, "expire", SystemActor(), actionInput{}); err != nil {
			p.app.Logger().Error("expiring a permit failed", "permit", id, "error", err)
			continue
		}
		done++
	}
	return done, nil
}

// RemindExpiringPermits emails, once, the holders of permits that expire in
// the next 30 days.
func (p *Portal) RemindExpiringPermits() (int, error) {
	now := p.now().UTC()
	from, _ := types.ParseDateTime(now)
	until, _ := types.ParseDateTime(now.AddDate(0, 0, 30))
	var ids []string
	err := p.app.DB().Select("id").From("permits").
		Where(dbx.HashExp{"status": "issued", "reminder_sent_at": ""}).
		AndWhere(dbx.NewExp("expires_at != '' AND expires_at > {:from} AND expires_at <= {:until}",
			dbx.Params{"from": from.String(), "until": until.String()})).
		Column(&ids)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, id := range ids {
		err := p.app.RunInTransaction(func(tx core.App) error {
			r, err := tx.FindRecordById("permits", id)
			if err != nil || r.GetString("reminder_sent_at") != "" || r.GetString("status") != "issued" {
				return err
			}
			r.Set("reminder_sent_at", now)
			if err := tx.Save(r); err != nil {
				return err
			}
			return p.notifyExpiryReminder(tx, r)
		})
		if err != nil {
			p.app.Logger().Error("expiry reminder failed", "permit", id, "error", err)
			continue
		}
		done++
	}
	return done, nil
}
