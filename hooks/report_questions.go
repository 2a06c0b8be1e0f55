package hooks

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/forms"
	"github.com/townhall-portal/townhall/internal/i18n"
)

// A problem category may ask extra questions with each report (its
// questions: field definitions as a permit type's form, internal/forms).
// They are Open311's attributes, and every report answers them, however it
// is filed: the records API, the staff console or Open311.

// registerReportQuestions checks a category's questions when the
// administrator saves it, and a new report's answers against them.
func (p *Portal) registerReportQuestions() {
	checkCategory := func(e *core.RecordEvent) error {
		if _, err := forms.ParseFields([]byte(e.Record.GetString("questions"))); err != nil {
			return validationError("questions", "definition", "The extra questions are broken: "+err.Error())
		}
		return e.Next()
	}
	p.app.OnRecordCreate("complaint_categories").BindFunc(checkCategory)
	p.app.OnRecordUpdate("complaint_categories").BindFunc(checkCategory)

	// bound after registerComplaints: runs in its transaction, before the insert
	p.app.OnRecordCreate("complaints").BindFunc(func(e *core.RecordEvent) error {
		if err := checkReportAnswers(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
}

// categoryQuestions are the extra questions of a category record.
func categoryQuestions(cat *core.Record) ([]forms.Field, error) {
	return forms.ParseFields([]byte(cat.GetString("questions")))
}

// checkReportAnswers checks a new report's answers against its category's
// questions (all required answers must be given) and keeps the cleaned
// answers. A category that does not exist is left to registerDefaults.
func checkReportAnswers(app core.App, r *core.Record) error {
	lang := i18n.Parse(r.GetString("language"))
	cat, err := app.FindRecordById("complaint_categories", r.GetString("category"))
	if err != nil {
		return nil
	}
	questions, err := categoryQuestions(cat)
	if err != nil {
		return router.NewInternalServerError(lang.T("report.questions_broken"), err)
	}
	answers := map[string]any{}
	if raw := strings.TrimSpace(r.GetString("answers")); raw != "" && raw != "null" {
		if err := r.UnmarshalJSONField("answers", &answers); err != nil {
			return validationError("answers", "invalid", lang.T("report.answers_not_object"))
		}
	}
	if len(questions) == 0 && len(answers) == 0 {
		return nil
	}
	clean, errs := forms.Validate(questions, answers, string(lang), forms.Submit)
	if len(errs) > 0 {
		fields := map[string]fieldError{}
		for k, msg := range errs {
			fields["answers."+k] = fieldError{"validation_answer", msg}
		}
		return fieldErrors(lang.T("report.answers_invalid"), fields)
	}
	r.Set("answers", clean)
	return nil
}
