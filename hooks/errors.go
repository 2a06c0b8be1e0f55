package hooks

import (
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// Refusals and faults. A refusal is the caller's to fix: a 4xx with a
// message in their language (and, for a form, one message per field). A
// fault is ours — a database failure, a bug —: a 500 that is logged and
// tells the caller that nothing was changed. Handlers answer every error
// through failure, so a fault can never pass for a refusal.

// apiError is an error with an HTTP status and a message for the caller.
func apiError(status int, message string) error {
	return router.NewApiError(status, message, nil)
}

// refusal is a 400 with a message the caller can act on.
func refusal(message string) error { return apiError(http.StatusBadRequest, message) }

// validationError is a 400 naming the field at fault, shaped like PocketBase's
// own validation errors so the sites can show it next to the field.
func validationError(field, code, message string) error {
	return fieldErrors(message, map[string]fieldError{field: {"validation_" + code, message}})
}

// fieldError is one field's refusal: a code for programs, a message for people.
type fieldError struct{ code, message string }

// fieldErrors is a 400 with one message per field, in PocketBase's shape
// ({"data": {"field": {"code": …, "message": …}}}) so the sites can put each
// message next to its field.
func fieldErrors(message string, fields map[string]fieldError) error {
	errs := validation.Errors{}
	for name, f := range fields {
		errs[name] = validation.NewError(f.code, f.message)
	}
	return router.NewBadRequestError(message, errs)
}

// transitionError turns a lifecycle refusal into a 4xx with a reason.
func transitionError(m workflow.Machine, t workflow.Transition, from, action string, lang i18n.Lang, err error) error {
	switch {
	case errors.Is(err, workflow.ErrUnknownAction):
		return apiError(http.StatusNotFound, lang.T("refused.unknown_action"))
	case errors.Is(err, workflow.ErrWrongState):
		return apiError(http.StatusConflict, lang.WrongState(m.Name, from, action))
	case errors.Is(err, workflow.ErrWrongActor):
		if len(t.Actors) == 1 && t.Actors[0] == workflow.System {
			return apiError(http.StatusForbidden, lang.T("refused.system_only"))
		}
		return apiError(http.StatusForbidden, lang.WrongActor(m.Name, action, !t.AllowedBy(workflow.Resident)))
	case errors.Is(err, workflow.ErrNeedsComment):
		return fieldErrors(lang.T("refused.needs_comment"), map[string]fieldError{"comment": {"validation_required", lang.T("refused.needs_comment")}})
	}
	return err
}

// failure is the answer to an error from an action or a lookup: refusals
// (ours, and PocketBase's validation errors) as they are, anything else as a
// logged 500.
func failure(e *core.RequestEvent, lang i18n.Lang, err error) error {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var fields validation.Errors
	if errors.As(err, &fields) {
		return router.NewBadRequestError(lang.T("errors.fields"), fields)
	}
	e.App.Logger().Error("a request failed on our side", "path", e.Request.URL.Path, "error", err)
	return router.NewInternalServerError(lang.T("errors.ours"), err)
}
